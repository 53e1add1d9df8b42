package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.LogEntry;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The master pushes an out-of-sync slave what it misses, in batches, over REST (kind {@code catch-up}). The batches
 * go without the write lock while the slave is far behind; the last one goes under it, so that no write slips in
 * between the last batch and the moment the slave counts again.
 */
@Component
class CatchUp implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CatchUp.class);

    private final ReplicaState state;
    private final ReplicationStore store;
    private final ClusterClient client;
    private final ReplicationProperties properties;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool;

    CatchUp(ReplicaState state, ReplicationStore store, ClusterClient client, ReplicationProperties properties) {
        this.state = state;
        this.pool = Executors.newFixedThreadPool(2, ReplicationThreads.named(state.self(), "replication-catch-up"));
        this.store = store;
        this.client = client;
        this.properties = properties;
    }

    /** Starts a catch-up of {@code slave} unless one is running; failures wait for the next heartbeat. */
    void start(String slave, StepDown stepDown) {
        if (running.add(slave)) {
            pool.execute(() -> {
                try {
                    run(slave);
                } catch (ClusterCallException e) {
                    if (!stepDown.ifNewerEpoch(e)) {
                        log.info("catch-up of {} failed: {}", slave, e.getMessage());
                    }
                } catch (RuntimeException e) {
                    log.warn("catch-up of {} failed", slave, e);
                } finally {
                    running.remove(slave);
                }
            });
        }
    }

    private void run(String slave) {
        Long match = state.slaves(set -> set.matchIndex(slave));
        if (match == null || match < 0) {
            return;
        }
        Long resend = state.takeResendFrom(slave);
        long from = resend == null ? match + 1 : Math.min(match + 1, resend);
        int batchSize = properties.catchUpBatch();
        try {
            while (state.isMaster()) {
                List<LogEntry> batch = store.entries(from, batchSize);
                if (batch.size() < batchSize) {
                    state.writeLock.lock();
                    try {
                        batch = store.entries(from, batchSize);
                        if (batch.size() < batchSize) {
                            Messages.Position position = send(slave, batch);
                            long last = state.appliedIndex();
                            boolean inSync = state.slaves(set -> set.caughtUp(slave, position.appliedIndex(), last,
                                    Clocks.monotonicMs()));
                            if (inSync) {
                                log.info("{} caught up at {} ({} entries pushed): in sync again", slave, last, batch.size());
                            }
                            return;
                        }
                    } finally {
                        state.writeLock.unlock();
                    }
                }
                from = Math.max(from + 1, send(slave, batch).appliedIndex() + 1);
            }
        } catch (ClusterCallException e) {
            if (resend != null) {
                state.resendFrom(slave, resend);
            }
            throw e;
        }
    }

    private Messages.Position send(String slave, List<LogEntry> batch) {
        Messages.Entries message = new Messages.Entries(state.self(), state.epoch(), state.history().epochs(), batch);
        return client.post(slave, "catch-up", null, "/internal/replication/entries", message, Messages.Position.class,
                properties.replicateTimeout());
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }

    /** What the master does when a slave answers that a newer epoch has begun. */
    interface StepDown {
        /** Steps down if {@code e} says a newer master exists; true if it did. */
        boolean ifNewerEpoch(ClusterCallException e);
    }
}
