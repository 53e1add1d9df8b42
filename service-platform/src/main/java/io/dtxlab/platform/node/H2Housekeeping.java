package io.dtxlab.platform.node;

import io.dtxlab.platform.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Compacts this node's H2 file whenever its commits pause. Every node commits with {@code WRITE_DELAY=0} (see
 * {@link NodeEnvironmentPostProcessor}), and then H2 starts no background writer; but that thread is also what keeps an
 * MVStore file compact. Each commit appends a chunk holding the pages it changed; pages that later commits replace die,
 * and a chunk is reused only once every page in it has died. Rows keyed by random ids (a transaction table, branches)
 * leave a few live pages in almost every chunk, so without the background writer the file grew with every commit: a
 * leading coordinator's file reached 556 MB after about 40,000 orders, a fifth of it live.
 *
 * <p>So this does what H2's background writer does when the file is idle (MVStore's {@code doHousekeeping}), on its
 * own thread, once the file has gone {@link #INTERVAL} without a commit:
 * <ul>
 * <li>when less than {@value #TARGET_FILL} % of the chunks' space is live, it rewrites the live pages of the emptiest
 * chunks, at most {@value #REWRITE_BYTES} bytes of them ({@link MVStore#compact}, committed at once), so that those
 * chunks die;</li>
 * <li>it frees the chunks that died and outlived H2's retention time (45 s; otherwise only a commit frees them), and
 * when less than {@value #TARGET_FILL} % of the file is in use it moves at most {@value #MOVE_BYTES} bytes of chunks
 * toward its start, so the file shrinks.</li>
 * </ul>
 * Passes go on every interval while they change something; once one changes nothing, the next comes after twice the
 * interval, up to {@link #IDLE_INTERVAL}. A file that commits keep writing is left alone, since rewriting and moving
 * hold H2's locks, which every commit needs: under a sustained load the file grows as before, and the space comes back
 * once the load stops (a coordinator's file after 40,000 orders went from 251 MB to 47 MB within a minute at
 * rest).
 *
 * <p>Metrics: {@code dtx.h2.file.size} (bytes), {@code dtx.h2.chunks.fill} (the live share of the chunks' space, 0..1)
 * and {@code dtx.h2.compactions} (passes that rewrote or moved chunks).
 */
@Component
class H2Housekeeping implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(H2Housekeeping.class);
    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final Duration IDLE_INTERVAL = Duration.ofMinutes(5);
    /** Below this live share of the chunks' space (percent), the emptiest chunks are rewritten. */
    static final int TARGET_FILL = 50;
    static final int REWRITE_BYTES = 16 * 1024 * 1024;
    static final int MOVE_BYTES = 32 * 1024 * 1024;

    private final ObjectProvider<DataSource> dataSources;
    private final ObjectProvider<MeterRegistry> registries;
    private ScheduledExecutorService executor;
    private volatile MVStore store;
    private Counter compactions;
    private long writesSeen = -1;
    private Duration next = INTERVAL;

    H2Housekeeping(ObjectProvider<DataSource> dataSources, ObjectProvider<MeterRegistry> registries) {
        this.dataSources = dataSources;
        this.registries = registries;
    }

    @Override
    public void start() {
        store = open(dataSources.getIfAvailable());
        if (store == null) {
            return; // no H2 file here
        }
        MeterRegistry registry = registries.getIfAvailable();
        if (registry != null) {
            Gauge.builder("dtx.h2.file.size", this, h -> h.measure(FileStore::size)).baseUnit("bytes")
                    .description("Size of this node's H2 file").register(registry);
            Gauge.builder("dtx.h2.chunks.fill", this, h -> h.measure(f -> f.getChunksFillRate()) / 100.0)
                    .description("Live share of the space of the chunks in this node's H2 file (0..1)")
                    .register(registry);
            compactions = Counter.builder("dtx.h2.compactions")
                    .description("Housekeeping passes that rewrote or moved chunks of this node's H2 file")
                    .register(registry);
        }
        ScheduledThreadPoolExecutor single = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.named("dtx-h2-housekeeping"));
        single.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a stop drops the next pass
        executor = single;
        schedule(single);
    }

    /** Runs before the data source closes: every lifecycle stops before any bean is destroyed. */
    @Override
    public void stop() {
        if (executor != null) {
            // no interrupt: H2's file channel closes when a thread using it is interrupted
            executor.shutdown();
            try {
                executor.awaitTermination(30, TimeUnit.SECONDS); // a pass under way finishes before H2 closes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    private void schedule(ScheduledExecutorService on) {
        try {
            on.schedule(() -> {
                try {
                    pass();
                } catch (RuntimeException e) {
                    log.warn("H2 housekeeping failed; trying again in {}", next, e);
                }
                schedule(on);
            }, next.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // stopped meanwhile
        }
    }

    /**
     * One pass; package-private for tests. Returns whether it rewrote or moved any chunk. A file that commits wrote
     * since the last pass is left alone: rewriting and moving hold H2's locks, which every commit needs.
     */
    synchronized boolean pass() {
        MVStore s = store;
        if (s == null || s.isClosed() || s.getFileStore() == null) {
            return false;
        }
        FileStore<?> file = s.getFileStore();
        if (file.getWriteCount() != writesSeen) {
            writesSeen = file.getWriteCount();
            next = INTERVAL;
            return false;
        }
        long sizeBefore = file.size();
        int chunksFill = file.getChunksFillRate();
        boolean rewrote = chunksFill < TARGET_FILL && s.compact(TARGET_FILL, REWRITE_BYTES);
        if (rewrote) {
            s.commit(); // the rewritten pages go out now, not with the next transaction's commit
        }
        if (file instanceof RandomAccessStore randomAccess) {
            // frees the chunks that died and outlived the retention time (otherwise only a commit would), then moves
            // chunks into the holes when less than TARGET_FILL of the file is in use
            randomAccess.compactMoveChunks(TARGET_FILL, MOVE_BYTES, s);
        }
        boolean moved = file.size() < sizeBefore;
        writesSeen = file.getWriteCount(); // this pass's own writes do not count as commits
        boolean changed = rewrote || moved;
        next = changed ? INTERVAL : Collections.min(List.of(next.multipliedBy(2), IDLE_INTERVAL));
        if (changed && compactions != null) {
            compactions.increment();
        }
        if (changed && log.isDebugEnabled()) { // the fill rate walks every chunk
            log.debug("H2 housekeeping: chunks {}% live, now {}%; file {} bytes, now {}", chunksFill,
                    file.getChunksFillRate(), sizeBefore, file.size());
        }
        return changed;
    }

    private long measure(ToLongFunction<FileStore<?>> what) {
        MVStore s = store;
        return s == null || s.isClosed() || s.getFileStore() == null ? 0 : what.applyAsLong(s.getFileStore());
    }

    /** The MVStore behind an embedded H2 data source; null for any other data source. */
    static MVStore open(DataSource dataSource) {
        if (dataSource == null) {
            return null;
        }
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.isWrapperFor(JdbcConnection.class)) {
                return null;
            }
            if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
                return null; // a server connection: the file is another process's to keep
            }
            var database = session.getDatabase();
            return database.isPersistent() && database.getStore() != null ? database.getStore().getMvStore() : null;
        } catch (SQLException e) {
            log.warn("H2 housekeeping is off: {}", e.toString());
            return null;
        }
    }
}
