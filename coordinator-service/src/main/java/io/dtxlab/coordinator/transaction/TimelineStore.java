package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.CoordinatorProperties;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The timelines of the runs this coordinator drove, in its H2 file ({@code tx_timeline}): a local record, not
 * replicated, so it costs no consensus round. A run's view (timeline and message counts) is written once, when the
 * run ends or is left to the next leader, by one writer thread that takes every run waiting in one batch: off the
 * engine thread and off the client's answer. A coordinator that crashes mid-run loses that run's timeline (the log
 * still holds the transaction); every run ended before the crash survives it. Rows older than
 * {@link CoordinatorProperties#timelinesKeptFor()} are purged by the writer, at most once a minute.
 */
@Component
class TimelineStore {

    private static final Logger log = LoggerFactory.getLogger(TimelineStore.class);
    private static final Duration PURGE_AT_MOST_EVERY = Duration.ofMinutes(1);
    private static final int MAX_BATCH = 500;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Duration keptFor;
    private final Clock clock = Clock.systemUTC();
    private final BlockingQueue<TransactionRun> waiting = new LinkedBlockingQueue<>();
    private final Thread writer;
    private Instant lastPurge = Instant.EPOCH;

    TimelineStore(JdbcTemplate jdbc, ObjectMapper json, CoordinatorProperties properties) {
        this.jdbc = jdbc;
        this.json = json;
        this.keptFor = properties.timelinesKeptFor();
        this.writer = new Thread(this::write, "timeline-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues {@code run}'s timeline to be written; returns at once. */
    void store(TransactionRun run) {
        waiting.add(run);
    }

    /** The views of the runs of {@code xid} this coordinator stored, oldest first. */
    List<TransactionView> find(String xid) {
        return jdbc.query("select run_view from tx_timeline where xid = ? order by id",
                (rs, n) -> json.readValue(rs.getString(1), TransactionView.class), xid);
    }

    private void write() {
        List<TransactionRun> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(waiting.take());
                waiting.drainTo(batch, MAX_BATCH - 1);
                Instant now = clock.instant();
                List<Object[]> rows = new ArrayList<>(batch.size());
                for (TransactionRun run : batch) {
                    TransactionView view = run.view();
                    rows.add(new Object[] {run.xid(), run.coordinator(),
                            json.writeValueAsString(view.withTimeline(view.timeline(), view.timelineFrom(),
                                    view.messages(), view.consensusMessages(), true, null)),
                            Timestamp.from(now)});
                }
                jdbc.batchUpdate("insert into tx_timeline (xid, coordinator, run_view, stored_at) values (?, ?, ?, ?)",
                        rows);
                batch.forEach(TransactionRun::markTimelineStored);
                purge(now);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.warn("cannot store {} timelines: {}", batch.size(), e.toString());
            } finally {
                batch.clear();
            }
        }
    }

    private void purge(Instant now) {
        if (now.isBefore(lastPurge.plus(PURGE_AT_MOST_EVERY))) {
            return;
        }
        lastPurge = now;
        int purged = jdbc.update("delete from tx_timeline where stored_at < ?", Timestamp.from(now.minus(keptFor)));
        if (purged > 0) {
            log.info("purged {} timelines older than {}", purged, keptFor);
        }
    }

    @PreDestroy
    void stop() {
        writer.interrupt();
    }
}
