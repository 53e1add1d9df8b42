package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.FailoverPolicy;
import io.dtxlab.core.replication.LogEntry;
import io.dtxlab.core.replication.Op;
import io.dtxlab.core.replication.ReplicationMode;
import io.dtxlab.core.replication.ReplicationSettings;
import io.dtxlab.core.replication.WriteOutcome;
import io.dtxlab.core.replication.WritePlan;
import io.dtxlab.platform.concurrent.Futures;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The master's write path, one write at a time (the log is one sequence, and a slave applies it in order):
 * <ol>
 * <li>ask the core for a plan (whom to send to, how many acks; or a refusal, e.g. SYNC with REJECT while a slave is
 * out of sync);</li>
 * <li>append the entry to the log and apply it to the data, one transaction on disk; until the write commits or is
 * undone, reads on the master still answer the key's value before it ({@link ReplicaState#committed});</li>
 * <li>replicate as the plan says: REST to the slaves in parallel (SYNC waits for all, SEMI_SYNC for k up to its
 * timeout), or hand it to the Kafka shipper (ASYNC) and answer at once;</li>
 * <li>count the acks with the core: commit with a receipt, or (REJECT) undo the entry on the master and on the slaves
 * that applied it, and refuse with a 503.</li>
 * </ol>
 */
@Component
class MasterWriter {

    private static final Logger log = LoggerFactory.getLogger(MasterWriter.class);

    private final ReplicaState state;
    private final ReplicationStore store;
    private final LogApplier applier;
    private final AsyncShipper shipper;
    private final ClusterClient client;
    private final FaultInjector faults;
    private final ReplicationProperties properties;
    private final CatchUp.StepDown stepDown;

    MasterWriter(ReplicaState state, ReplicationStore store, LogApplier applier, AsyncShipper shipper, ClusterClient client,
            FaultInjector faults, ReplicationProperties properties, ReplicationTicker stepDown) {
        this.stepDown = stepDown;
        this.state = state;
        this.store = store;
        this.applier = applier;
        this.shipper = shipper;
        this.client = client;
        this.faults = faults;
        this.properties = properties;
    }

    Receipt write(Op op, String key, String value) {
        long start = System.nanoTime();
        state.writeLock.lock();
        try {
            requireWritableMaster();
            ReplicationSettings settings = state.settings();
            WritePlan plan = state.slaves(set -> set.plan(settings));
            if (plan.isRefused()) {
                throw ReplicationProblems.writesRefused(plan.refusal() + "; reads are still served",
                        Map.of("master", state.self(), "mode", settings.mode(), "syncFailure", settings.syncFailure()));
            }
            if (op == Op.DELETE && store.get(key).isEmpty()) {
                throw ReplicationProblems.of(HttpStatus.NOT_FOUND, ReplicationProblems.NO_SUCH_KEY, "No such key",
                        "no key '" + key + "' on master " + state.self(), Map.of("appliedIndex", state.appliedIndex()));
            }
            LogEntry entry = new LogEntry(state.appliedIndex() + 1, state.epoch(), op, key, value, plan.mode(),
                    Clocks.wallMs(), false);
            WriteOutcome outcome;
            state.writeBegins(key, store.get(key));
            try {
                applier.appendLocal(entry);
                faults.at(ReplicationFaultPoints.AFTER_LOCAL_WRITE, key);
                outcome = plan.publishToKafka() ? publish(plan, settings, entry) : replicate(plan, settings, entry);
                if (!outcome.committed()) {
                    undo(entry, outcome);
                }
            } finally {
                state.writeEnded();
            }
            List<String> acknowledgedBy = new ArrayList<>();
            acknowledgedBy.add(state.self());
            acknowledgedBy.addAll(outcome.acked());
            long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (outcome.degraded()) {
                log.warn("write {} of {} degraded: {}", entry.index(), key, outcome.degradedReason());
            }
            return new Receipt(key, op, value, entry.index(), entry.epoch(), state.self(), outcome.mode(), acknowledgedBy,
                    outcome.degraded(), outcome.degradedReason(), null, latencyMs);
        } finally {
            state.writeLock.unlock();
        }
    }

    private void requireWritableMaster() {
        if (!state.isMaster()) {
            throw ReplicationProblems.of(HttpStatus.CONFLICT, ReplicationProblems.NOT_MASTER, "Not the master",
                    state.self() + " is a slave; the master of epoch " + state.epoch() + " is " + state.master(),
                    Map.of("master", state.master(), "epoch", state.epoch()));
        }
        if (!state.confirmed()) {
            throw ReplicationProblems.writesRefused(state.self() + " restarted as master of epoch " + state.epoch()
                    + " and has not yet heard a majority of replicas confirm it (failover ELECT: another master may have "
                    + "been elected meanwhile)", Map.of("master", state.self(), "epoch", state.epoch()));
        }
        if (state.failover() == FailoverPolicy.ELECT && !state.slaves(set -> set.hasMajorityContact(Clocks.monotonicMs(),
                properties.masterTimeout().toMillis() / 2))) {
            throw ReplicationProblems.writesRefused(state.self() + " does not hear a majority of replicas: with failover "
                    + "ELECT they may elect another master, so this one takes no writes", Map.of("master", state.self()));
        }
    }

    private WriteOutcome publish(WritePlan plan, ReplicationSettings settings, LogEntry entry) {
        shipper.publish(entry);
        return state.slaves(set -> set.decide(plan, settings, List.of(), Map.of(), entry.index(), Clocks.monotonicMs()));
    }

    private WriteOutcome replicate(WritePlan plan, ReplicationSettings settings, LogEntry entry) {
        Messages.Entries message = new Messages.Entries(state.self(), entry.epoch(), state.history().epochs(), List.of(entry));
        Map<String, Messages.Position> acked = new ConcurrentHashMap<>();
        Map<String, String> failed = new ConcurrentHashMap<>();
        CompletableFuture<Void> enough = new CompletableFuture<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicReference<ClusterCallException> deposedBy = new AtomicReference<>();
        int targets = plan.targets().size();
        Duration timeout = properties.replicateTimeout();
        if (targets == 0 || plan.acksNeeded() == 0) {
            enough.complete(null);
        }
        List<CompletableFuture<?>> answers = new ArrayList<>();
        for (String slave : plan.targets()) {
            answers.add(client.postAsync(slave, "replicate", entry.key(), "/internal/replication/entries", message,
                    Messages.Position.class, timeout).whenComplete((position, error) -> {
                        if (error == null) {
                            acked.put(slave, position);
                            state.slaves(set -> {
                                set.onAck(slave, position.appliedIndex(), Clocks.monotonicMs());
                                return null;
                            });
                        } else {
                            failed.put(slave, reason(error));
                            if (Futures.cause(error) instanceof ClusterCallException call
                                    && ReplicationProblems.isNewerEpoch(call, entry.epoch())) {
                                deposedBy.set(call);
                            } else {
                                lateFailure(slave, entry, error);
                            }
                        }
                        int done = answered.incrementAndGet();
                        if (acked.size() >= plan.acksNeeded() || done == targets
                                || targets - failed.size() < plan.acksNeeded()) {
                            enough.complete(null);
                        }
                    }).exceptionally(error -> null));
        }
        // SYNC: every target answers or fails within its own answer deadline. SEMI_SYNC: k acks, or the timeout.
        boolean semiSync = plan.mode() == ReplicationMode.SEMI_SYNC;
        long waitMs = semiSync ? settings.semiSyncTimeoutMs() : timeout.toMillis() + 1000;
        try {
            (semiSync ? enough : CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)))
                    .get(waitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.info("write {} of {}: {} of {} acks within {} ms", entry.index(), entry.key(), acked.size(),
                    plan.acksNeeded(), waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        ClusterCallException deposed = deposedBy.get();
        if (deposed != null) {
            // a slave follows a newer master: this one was deposed. The entry is undone (never acknowledged, so not a
            // lost write), then this replica rejoins under the new master.
            undoLocally(entry);
            stepDown.ifNewerEpoch(deposed);
            throw ReplicationProblems.writesRefused(state.self() + " was deposed: " + deposed.peer() + " follows the "
                    + "master of a newer epoch, " + state.master() + " (epoch " + state.epoch() + "); write there",
                    Map.of("master", state.master(), "epoch", state.epoch()));
        }
        Map<String, String> failedNow = new LinkedHashMap<>(failed);
        List<String> ackedNow = List.copyOf(acked.keySet());
        if (plan.mode() == ReplicationMode.SYNC) {
            plan.targets().stream().filter(t -> !ackedNow.contains(t) && !failedNow.containsKey(t))
                    .forEach(t -> failedNow.put(t, "no answer in time"));
        }
        return state.slaves(set -> set.decide(plan, settings, ackedNow, failedNow, entry.index(), Clocks.monotonicMs()));
    }

    /** A slave failed after the write was decided (SEMI_SYNC does not wait for all): it goes out of sync. */
    private void lateFailure(String slave, LogEntry entry, Throwable error) {
        state.slaves(set -> {
            set.markOutOfSync(slave, "failed entry " + entry.index() + ": " + reason(error));
            return null;
        });
    }

    private void undoLocally(LogEntry entry) {
        state.applyLock.lock();
        try {
            store.undo(entry.index());
        } finally {
            state.applyLock.unlock();
        }
    }

    private void undo(LogEntry entry, WriteOutcome outcome) {
        undoLocally(entry);
        Messages.Undo undo = new Messages.Undo(state.self(), entry.epoch(), entry.index());
        for (String slave : outcome.undoOn()) {
            try {
                client.post(slave, "undo", entry.key(), "/internal/replication/undo", undo, Messages.Position.class,
                        properties.replicateTimeout());
            } catch (ClusterCallException e) {
                state.slaves(set -> {
                    set.markOutOfSync(slave, "missed the undo of entry " + entry.index());
                    return null;
                });
            }
        }
        // Slaves that failed may still have applied it (their ack was lost): their catch-up starts at this entry.
        outcome.failed().forEach(slave -> state.resendFrom(slave, entry.index()));
        outcome.undoOn().forEach(slave -> state.resendFrom(slave, entry.index()));
        throw ReplicationProblems.writesRefused("write of '" + entry.key() + "' refused and undone: " + outcome.failure()
                + "; SYNC with REJECT needs every slave, so writes are refused until it is back and caught up; reads are "
                + "still served", Map.of("master", state.self(), "index", entry.index(), "failed", outcome.failed()));
    }

    private static String reason(Throwable error) {
        Throwable cause = Futures.cause(error);
        return cause instanceof ClusterCallException call ? call.outcome().name() + (call.peerProblem() != null
                && call.peerProblem().getDetail() != null ? " (" + call.peerProblem().getDetail() + ")" : "") : cause.toString();
    }
}
