package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.CoordinatorProperties;
import io.dtxlab.platform.concurrent.DaemonThreads;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The timelines of the runs this coordinator drove, in its H2 file ({@code tx_timeline}): a local record, not
 * replicated, so it costs no consensus round. A run's view (timeline and message counts) is written once, when the
 * run ends or is left to the next leader, by one writer thread: off the engine thread and off the client's answer.
 * The writer gathers the runs that end within {@link #GATHER} of the first one waiting and inserts them in one local
 * transaction, so a busy coordinator commits (writes an H2 chunk) a few times a second, not once per run. A
 * coordinator that crashes loses the timelines of the runs still waiting (the log still holds their transactions):
 * every run ended more than {@link #GATHER} before the crash survives it, and a graceful stop writes those still
 * waiting. Only the {@link CoordinatorProperties#timelinesKept()} most recent rows are kept: the writer purges the
 * older ones at most every {@link #PURGE_AT_MOST_EVERY} (by id, through the primary key), so each purge is small.
 */
@Component
class TimelineStore {

    private static final Logger log = LoggerFactory.getLogger(TimelineStore.class);
    /**
     * How long the writer gathers runs after the first one waiting. JDBC batches run in auto-commit, where H2 commits
     * (and writes a chunk) after every row: at 150 orders/s those commits were half of the writer's CPU, a tenth of
     * the leader's.
     */
    static final Duration GATHER = Duration.ofMillis(100);
    /** Purging more often keeps each delete short: at 500 runs/s a minute's worth was 30,000 rows in one statement. */
    private static final Duration PURGE_AT_MOST_EVERY = Duration.ofSeconds(5);
    private static final int MAX_BATCH = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final int kept;
    private final Clock clock = Clock.systemUTC();
    private final BlockingQueue<TransactionRun> waiting = new LinkedBlockingQueue<>();
    private final Thread writer;
    private Instant lastPurge = Instant.EPOCH;

    TimelineStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, ObjectMapper json,
            CoordinatorProperties properties) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.json = json;
        this.kept = properties.timelinesKept();
        this.writer = DaemonThreads.named("dtx-timeline-writer").newThread(this::write);
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
                gather(batch);
                write(batch);
                purge();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        waiting.drainTo(batch); // stopping: what is waiting still goes to disk
        write(batch);
    }

    /** Adds the runs that are waiting or come within {@link #GATHER}, up to {@link #MAX_BATCH}. */
    private void gather(List<TransactionRun> batch) throws InterruptedException {
        long until = System.nanoTime() + GATHER.toNanos();
        while (batch.size() < MAX_BATCH) {
            waiting.drainTo(batch, MAX_BATCH - batch.size());
            long left = until - System.nanoTime();
            if (batch.size() >= MAX_BATCH || left <= 0) {
                return;
            }
            TransactionRun next = waiting.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private void write(List<TransactionRun> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            Timestamp now = Timestamp.from(clock.instant());
            List<Object[]> rows = new ArrayList<>(batch.size());
            for (TransactionRun run : batch) {
                TransactionView view = run.view();
                rows.add(new Object[] {run.xid(), run.coordinator(),
                        json.writeValueAsString(view.withTimeline(view.timeline(), view.timelineFrom(),
                                view.messages(), view.consensusMessages(), true, null)), now});
            }
            tx.executeWithoutResult(status -> jdbc.batchUpdate(
                    "insert into tx_timeline (xid, coordinator, run_view, stored_at) values (?, ?, ?, ?)", rows));
            batch.forEach(TransactionRun::markTimelineStored);
        } catch (RuntimeException e) {
            log.warn("cannot store {} timelines: {}", batch.size(), e.toString());
        } finally {
            batch.clear();
        }
    }

    private void purge() {
        Instant now = clock.instant();
        if (now.isBefore(lastPurge.plus(PURGE_AT_MOST_EVERY))) {
            return;
        }
        lastPurge = now;
        try {
            int purged = jdbc.update("delete from tx_timeline where id <= (select max(id) from tx_timeline) - ?", kept);
            if (purged > 0) {
                log.info("purged {} timelines (the {} most recent are kept)", purged, kept);
            }
        } catch (RuntimeException e) {
            log.warn("cannot purge timelines: {}", e.toString());
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        writer.interrupt();
        writer.join(Duration.ofSeconds(5).toMillis());
    }
}
