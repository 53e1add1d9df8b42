package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.CoordinatorProperties;
import io.dtxlab.platform.concurrent.DaemonThreads;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * waiting. Only the {@link CoordinatorProperties#timelinesKept()} most recent rows are kept: each batch deletes the
 * rows it pushed past that limit (by id, through the primary key) in the same local transaction as its inserts.
 * <p>
 * A few rows per batch, not many at a time: a purge every 5 s at 300 runs/s deleted 1,500 rows in one transaction,
 * whose undo log (each deleted row's JSON) H2 wrote out while it ran, a 20-60 MB chunk every time. Those write
 * buffers, too large for H2's buffer pool, went straight to the old generation and brought the leader a full
 * collection of about 230 ms every 5 s.
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
    private static final int MAX_BATCH = 500;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final int kept;
    private final Clock clock = Clock.systemUTC();
    private final BlockingQueue<TransactionRun> waiting = new LinkedBlockingQueue<>();
    private final Thread writer;

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

    /** The last run stored of each of {@code xids} that has one, in one query (at most 1,000 xids). */
    Map<String, TransactionView> findLatest(Collection<String> xids) {
        Map<String, TransactionView> latest = new HashMap<>();
        if (xids.isEmpty()) {
            return latest;
        }
        String marks = String.join(", ", Collections.nCopies(xids.size(), "?"));
        jdbc.query("select xid, run_view from tx_timeline where xid in (" + marks + ") order by id",
                rs -> {
                    latest.put(rs.getString(1), json.readValue(rs.getString(2), TransactionView.class));
                }, xids.toArray());
        return latest;
    }

    private void write() {
        List<TransactionRun> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(waiting.take());
                gather(batch);
                write(batch);
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
            int purged = tx.execute(status -> {
                jdbc.batchUpdate(
                        "insert into tx_timeline (xid, coordinator, run_view, stored_at) values (?, ?, ?, ?)", rows);
                return jdbc.update("delete from tx_timeline where id <= (select max(id) from tx_timeline) - ?", kept);
            });
            batch.forEach(TransactionRun::markTimelineStored);
            if (purged > 0) {
                log.debug("purged {} timelines (the {} most recent are kept)", purged, kept);
            }
        } catch (RuntimeException e) {
            log.warn("cannot store {} timelines: {}", batch.size(), e.toString());
        } finally {
            batch.clear();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        writer.interrupt();
        writer.join(Duration.ofSeconds(5).toMillis());
    }
}
