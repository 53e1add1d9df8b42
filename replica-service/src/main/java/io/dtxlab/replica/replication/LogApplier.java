package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.EpochFence;
import io.dtxlab.core.replication.EpochHistory;
import io.dtxlab.core.replication.LogEntry;
import io.dtxlab.platform.events.ClusterEventPublisher;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Every change to this replica's log goes through here, whichever path brought it: the master's own write, a SYNC
 * replicate, a catch-up batch, a Kafka record, or an undo. Entries are applied in index order and idempotently by
 * index; entries and messages of a deposed master are refused (fencing); a newer epoch makes this replica rejoin:
 * it drops the entries it wrote after the fork, reports them as lost writes, and follows the new master.
 */
@Component
class LogApplier implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LogApplier.class);

    /** Where an entry came from, for the counters of {@code /replication/status}. */
    enum Path {
        REPLICATE,
        CATCH_UP,
        KAFKA
    }

    private final ReplicaState state;
    private final ReplicationStore store;
    private final FaultInjector faults;
    private final ClusterClient client;
    private final ClusterEventPublisher events;
    private final ExecutorService reporter;

    LogApplier(ReplicaState state, ReplicationStore store, FaultInjector faults, ClusterClient client,
            ClusterEventPublisher events) {
        this.state = state;
        this.reporter = Executors.newSingleThreadExecutor(ReplicationThreads.named(state.self(), "replication-rejoin-report"));
        this.store = store;
        this.faults = faults;
        this.client = client;
        this.events = events;
    }

    /** The master appends its own write (log and data, one transaction) before it replicates it. */
    void appendLocal(LogEntry entry) {
        state.applyLock.lock();
        try {
            if (!state.isMaster() || state.epoch() != entry.epoch()) {
                throw ReplicationProblems.writesRefused(state.self() + " is no longer master of epoch " + entry.epoch(),
                        Map.of("master", state.master(), "epoch", state.epoch()));
            }
            store.append(entry);
            state.applied(entry.index());
        } finally {
            state.applyLock.unlock();
        }
    }

    /** Entries the master sent over REST: one for a SYNC or SEMI_SYNC write, a batch for a catch-up. */
    Messages.Position receive(Messages.Entries message, boolean catchUp) {
        if (!message.entries().isEmpty()) {
            faults.at(ReplicationFaultPoints.BEFORE_APPLY, message.entries().get(0).key(), message.master());
        }
        state.applyLock.lock();
        try {
            fence(message.master(), message.epoch(), message.history());
            state.heardFromMaster(null);
            for (LogEntry entry : message.entries()) {
                if (!applyOne(entry, catchUp ? Path.CATCH_UP : Path.REPLICATE)) {
                    throw ReplicationProblems.of(HttpStatus.CONFLICT, ReplicationProblems.LOG_GAP, "Gap in the log",
                            state.self() + " has applied up to " + state.appliedIndex() + " and cannot apply entry "
                                    + entry.index() + " before the ones between",
                            Map.of("appliedIndex", state.appliedIndex()));
                }
            }
            return position();
        } finally {
            state.applyLock.unlock();
        }
    }

    /** The master's heartbeat: it is alive; its history and settings come with it. */
    Messages.Position heartbeat(Messages.Heartbeat heartbeat) {
        state.applyLock.lock();
        try {
            fence(heartbeat.master(), heartbeat.epoch(), heartbeat.history());
            state.heardFromMaster(heartbeat);
            return position();
        } finally {
            state.applyLock.unlock();
        }
    }

    /** The master undid an entry this replica may have applied (SYNC with REJECT). */
    Messages.Position undo(Messages.Undo undo) {
        state.applyLock.lock();
        try {
            fence(undo.master(), undo.epoch(), null);
            store.entry(undo.index()).filter(e -> !e.undone()).ifPresent(e -> {
                store.undo(undo.index());
                log.info("undid entry {} ({}) as master {} asked", undo.index(), e.key(), undo.master());
            });
            return position();
        } finally {
            state.applyLock.unlock();
        }
    }

    /**
     * An entry from the Kafka topic (ASYNC). A gap before it is fetched from the master over REST first; an entry of
     * a deposed master that the history does not own is refused and listed as a lost write.
     */
    void fromKafka(LogEntry entry) {
        if (state.isMaster() || entry.index() <= state.appliedIndex()) {
            return; // the master's own entries, or a redelivery: applied by index, at most once
        }
        faults.at(ReplicationFaultPoints.BEFORE_APPLY_ASYNC, entry.key(), state.master());
        state.applyLock.lock();
        try {
            if (state.isMaster()) {
                return;
            }
            if (entry.index() > state.appliedIndex() + 1 && EpochFence.check(state.history(), entry) == EpochFence.Verdict.ACCEPT) {
                fetchGap(entry.index() - 1);
            }
            if (!applyOne(entry, Path.KAFKA)) {
                log.info("entry {} from Kafka waits: applied only up to {}; the master's catch-up will fill the gap",
                        entry.index(), state.appliedIndex());
            }
        } finally {
            state.applyLock.unlock();
        }
    }

    private void fetchGap(long upTo) {
        long from = state.appliedIndex() + 1;
        try {
            LogEntry[] missing = client.get(state.master(), "fetch", null,
                    "/internal/replication/entries?from=" + from + "&limit=" + (upTo - from + 1), LogEntry[].class);
            for (LogEntry e : missing == null ? new LogEntry[0] : missing) {
                applyOne(e, Path.CATCH_UP);
            }
        } catch (ClusterCallException e) {
            log.info("could not fetch entries {}..{} from {}: {}", from, upTo, state.master(), e.getMessage());
        }
    }

    /** Applies one entry if it is the next; true if it is applied (now or before), false on a gap. */
    private boolean applyOne(LogEntry entry, Path path) {
        if (entry.index() <= state.appliedIndex()) {
            if (entry.undone()) {
                store.entry(entry.index()).filter(e -> !e.undone()).ifPresent(e -> store.undo(entry.index()));
            }
            return true;
        }
        switch (EpochFence.check(state.history(), entry)) {
            case STALE -> {
                state.fencedEntries().incrementAndGet();
                log.warn("fenced entry {} of epoch {} ({}): epoch {} owns only up to {}", entry.index(), entry.epoch(),
                        entry.key(), entry.epoch(), state.history().lastIndexOf(entry.epoch()));
                recordLost(entry, "FENCED_ON_DELIVERY");
                return true;
            }
            case NEWER_EPOCH -> {
                return false; // the new master's heartbeat brings its history first
            }
            default -> {
            }
        }
        if (entry.index() > state.appliedIndex() + 1) {
            return false;
        }
        store.append(entry);
        state.applied(entry.index());
        switch (path) {
            case KAFKA -> state.appliedViaKafka().incrementAndGet();
            case CATCH_UP -> state.appliedViaCatchUp().incrementAndGet();
            default -> state.appliedViaReplicate().incrementAndGet();
        }
        return true;
    }

    /** Refuses a deposed master's message; rejoins when the sender is the master of a newer epoch. */
    private void fence(String master, long epoch, List<EpochHistory.Epoch> history) {
        switch (EpochFence.check(state.epoch(), epoch)) {
            case STALE -> throw staleEpoch(master, epoch);
            case NEWER_EPOCH -> {
                if (history == null) {
                    throw ReplicationProblems.of(HttpStatus.CONFLICT, ReplicationProblems.STALE_EPOCH, "Unknown epoch",
                            state.self() + " has not yet heard of epoch " + epoch, Map.of("epoch", state.epoch()));
                }
                rejoin(EpochHistory.of(history));
            }
            default -> {
                if (!master.equals(state.master())) {
                    throw staleEpoch(master, epoch);
                }
            }
        }
    }

    private org.springframework.web.ErrorResponseException staleEpoch(String master, long epoch) {
        return ReplicationProblems.of(HttpStatus.CONFLICT, ReplicationProblems.STALE_EPOCH, "Stale epoch",
                state.self() + " refuses " + master + " of epoch " + epoch + ": the master of epoch " + state.epoch()
                        + " is " + state.master(),
                Map.of("epoch", state.epoch(), "master", state.master()));
    }

    /**
     * Follows the master of a newer epoch. Whatever this replica wrote (as a deposed master) or received after the
     * fork is dropped, listed as lost, and reported to the new master; the keys get back their values at the fork.
     */
    void rejoin(EpochHistory newer) {
        state.applyLock.lock();
        try {
            if (newer.current().epoch() <= state.epoch()) {
                return;
            }
            long myEpoch = state.epoch();
            boolean deposed = state.master().equals(state.self());
            List<LogEntry> divergent = newer.divergent(store.entries(newer.lastIndexOf(myEpoch) + 1, Integer.MAX_VALUE));
            // undone entries were never acknowledged to anyone: dropped, not lost
            List<LogEntry> lost = divergent.stream().filter(e -> !e.undone()).toList();
            for (LogEntry e : lost) {
                recordLost(e, "DIVERGED_ON_REJOIN");
            }
            if (!divergent.isEmpty()) {
                store.truncateFrom(divergent.get(0).index());
                state.applied(store.lastIndex());
            }
            store.saveHistory(newer, null);
            state.becomeSlave(newer);
            boolean reports = deposed || !lost.isEmpty();
            log.warn("rejoined as slave of {} in epoch {} (was epoch {}{}); {} divergent entr{} dropped{}: {}",
                    newer.current().master(), newer.current().epoch(), myEpoch, deposed ? ", as its master" : "",
                    divergent.size(), divergent.size() == 1 ? "y" : "ies", reports ? " and reported as lost writes" : "",
                    divergent.stream().map(e -> e.index() + ":" + e.key()).toList());
            events.publish("REPLICA_REJOINED", Map.of("master", newer.current().master(), "epoch", newer.current().epoch(),
                    "divergentEntries", divergent.size()));
            if (reports) {
                report(newer.current().master(), lost); // a deposed master reports even nothing: it is back
            }
        } finally {
            state.applyLock.unlock();
        }
    }

    private void report(String master, List<LogEntry> divergent) {
        Messages.LostWritesReport report = new Messages.LostWritesReport(state.self(), divergent);
        reporter.execute(() -> {
            for (int attempt = 1; attempt <= 10; attempt++) {
                try {
                    client.post(master, "lost-writes", null, "/internal/replication/lost-writes", report, Void.class);
                    return;
                } catch (ClusterCallException e) {
                    log.info("lost-writes report to {} failed (attempt {}): {}", master, attempt, e.getMessage());
                    pause(attempt);
                }
            }
        });
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(200L * attempt); // retry pacing on a background thread, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The new master records what a deposed master reported. */
    void receiveLostWrites(Messages.LostWritesReport report) {
        for (LogEntry e : report.entries()) {
            store.recordLost(lost(e, report.reporter(), "REPORTED_BY_DEPOSED_MASTER"));
        }
        store.markReconciled(report.reporter());
        log.warn("deposed master {} reported {} lost write(s): {}", report.reporter(), report.entries().size(),
                report.entries().stream().map(e -> e.index() + ":" + e.key()).toList());
    }

    private void recordLost(LogEntry entry, String how) {
        String writer = state.history().epoch(entry.epoch()).map(EpochHistory.Epoch::master).orElse("?");
        store.recordLost(lost(entry, writer, how));
    }

    private ReplicationStore.LostWrite lost(LogEntry e, String writtenBy, String how) {
        return new ReplicationStore.LostWrite(e.epoch(), e.index(), e.op(), e.key(), e.value(), e.mode(), e.writtenAtMs(),
                writtenBy, state.self(), how, Clocks.wallMs());
    }

    private Messages.Position position() {
        return state.position(store.votedEpoch());
    }

    @Override
    public void destroy() {
        reporter.shutdownNow();
    }
}
