package io.dtxlab.core.replication;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The master's view of its slaves, and the ack counting of each mode. Plain state: the caller feeds it acks,
 * failures, heartbeat answers and clock ticks (milliseconds of an injected clock), and serialises the calls.
 * <p>
 * A slave is IN_SYNC when it counts for SYNC and SEMI_SYNC writes: it has every entry the master has. A slave that
 * failed a write, stopped answering heartbeats for {@code contactTimeoutMs}, or (ASYNC) made no progress for
 * {@code stallTimeoutMs} while behind is OUT_OF_SYNC: writes no longer wait for it and the master pushes the missing
 * entries to it ("catch-up") until it has them all, then it counts again.
 */
public final class ReplicaSet {

    /** Whether a slave counts for synchronous acks. */
    public enum Sync {
        IN_SYNC,
        OUT_OF_SYNC
    }

    /**
     * One slave as the master sees it.
     *
     * @param node the slave
     * @param sync whether it counts for synchronous acks
     * @param reason why it is out of sync
     * @param matchIndex the last index it reported applied; -1 before it answered once
     * @param reachable whether it answered within the contact timeout
     * @param lastContactMs when it last answered (master clock), -1 never
     */
    public record SlaveView(String node, Sync sync, String reason, long matchIndex, boolean reachable,
            long lastContactMs) {
    }

    private static final class Slave {
        final String node;
        Sync sync = Sync.OUT_OF_SYNC;
        String reason = "not heard from yet";
        long matchIndex = -1;
        long lastContactMs = -1;
        long lastProgressMs;

        Slave(String node, long nowMs) {
            this.node = node;
            this.lastProgressMs = nowMs;
        }
    }

    private final Map<String, Slave> slaves = new TreeMap<>();
    private final long contactTimeoutMs;
    private final long stallTimeoutMs;
    private String semiSyncDegraded;

    public ReplicaSet(Collection<String> slaveIds, long nowMs, long contactTimeoutMs, long stallTimeoutMs) {
        slaveIds.forEach(id -> slaves.put(id, new Slave(id, nowMs)));
        this.contactTimeoutMs = contactTimeoutMs;
        this.stallTimeoutMs = stallTimeoutMs;
    }

    /** Decides, before the local write, whom the entry goes to and how many acks it needs. */
    public WritePlan plan(ReplicationSettings settings) {
        List<String> inSync = inSync();
        List<String> outOfSync = outOfSync();
        switch (settings.mode()) {
            case SYNC -> {
                String refusal = refusal(settings);
                if (refusal != null) {
                    return WritePlan.refused(ReplicationMode.SYNC, refusal);
                }
                String degraded = outOfSync.isEmpty() ? null : "out of sync, not waited for: " + String.join(", ", outOfSync);
                return new WritePlan(null, ReplicationMode.SYNC, inSync, inSync.size(), false, degraded);
            }
            case SEMI_SYNC -> {
                if (semiSyncDegraded == null && inSync.size() < settings.semiSyncAcks()) {
                    semiSyncDegraded = "only " + inSync.size() + " slave(s) in sync for k=" + settings.semiSyncAcks();
                }
                if (semiSyncDegraded != null) {
                    return new WritePlan(null, ReplicationMode.ASYNC, List.of(), 0, true,
                            "semi-sync degraded to async: " + semiSyncDegraded);
                }
                return new WritePlan(null, ReplicationMode.SEMI_SYNC, inSync, settings.semiSyncAcks(), false, null);
            }
            default -> {
                return new WritePlan(null, ReplicationMode.ASYNC, List.of(), 0, true, null);
            }
        }
    }

    /** Why a write would be refused before it is written (SYNC with REJECT and a slave out of sync), or null; no side effect. */
    public String refusal(ReplicationSettings settings) {
        if (settings.mode() != ReplicationMode.SYNC || settings.syncFailure() != SyncFailurePolicy.REJECT) {
            return null;
        }
        return slaves.values().stream().filter(s -> s.sync == Sync.OUT_OF_SYNC).findFirst()
                .map(s -> "SYNC with REJECT refuses writes while a slave is out of sync: " + s.node + " (" + s.reason + ")")
                .orElse(null);
    }

    /**
     * Counts the acks of a write that was sent as {@code plan} says.
     *
     * @param acked the targets that acknowledged a durable apply in time
     * @param failed the targets that failed, with why; for SEMI_SYNC, targets still silent at the deadline are neither
     * @param nowMs the clock
     */
    public WriteOutcome decide(WritePlan plan, ReplicationSettings settings, Collection<String> acked,
            Map<String, String> failed, long entryIndex, long nowMs) {
        acked.forEach(node -> onAck(node, entryIndex, nowMs));
        String firstFailure = failed.isEmpty() ? null
                : failed.entrySet().iterator().next().getKey() + ": " + failed.entrySet().iterator().next().getValue();
        List<String> ackedList = List.copyOf(new java.util.TreeSet<>(acked));
        List<String> failedList = List.copyOf(new java.util.TreeSet<>(failed.keySet()));
        switch (plan.mode()) {
            case SYNC -> {
                failed.forEach((node, why) -> markOutOfSync(node, "failed a SYNC write: " + why));
                if (failed.isEmpty()) {
                    return new WriteOutcome(true, ReplicationMode.SYNC, ackedList, List.of(), plan.isDegraded(),
                            plan.degradedReason(), List.of(), null);
                }
                if (settings.syncFailure() == SyncFailurePolicy.REJECT) {
                    return new WriteOutcome(false, ReplicationMode.SYNC, ackedList, failedList, false, null, ackedList,
                            firstFailure);
                }
                String reason = "DEGRADE: marked out of sync: " + String.join(", ", failedList)
                        + (plan.isDegraded() ? "; " + plan.degradedReason() : "");
                return new WriteOutcome(true, ReplicationMode.SYNC, ackedList, failedList, true, reason, List.of(),
                        firstFailure);
            }
            case SEMI_SYNC -> {
                failed.forEach((node, why) -> markOutOfSync(node, "failed a SEMI_SYNC write: " + why));
                if (acked.size() >= plan.acksNeeded()) {
                    return new WriteOutcome(true, ReplicationMode.SEMI_SYNC, ackedList, failedList, false, null,
                            List.of(), firstFailure);
                }
                semiSyncDegraded = acked.size() + " of k=" + plan.acksNeeded() + " slave acks within "
                        + settings.semiSyncTimeoutMs() + " ms";
                return new WriteOutcome(true, ReplicationMode.SEMI_SYNC, ackedList, failedList, true,
                        "semi-sync timed out, degraded to async: " + semiSyncDegraded, List.of(), firstFailure);
            }
            default -> {
                return new WriteOutcome(true, ReplicationMode.ASYNC, List.of(), List.of(), plan.isDegraded(),
                        plan.degradedReason(), List.of(), null);
            }
        }
    }

    /** A slave acknowledged having applied everything up to {@code appliedIndex}. */
    public void onAck(String node, long appliedIndex, long nowMs) {
        onContact(node, appliedIndex, nowMs);
    }

    /** A slave answered (a heartbeat, an ack, a catch-up) and said what it has applied. */
    public void onContact(String node, long appliedIndex, long nowMs) {
        Slave slave = slaves.get(node);
        if (slave == null) {
            return;
        }
        slave.lastContactMs = nowMs;
        if (appliedIndex > slave.matchIndex) {
            slave.lastProgressMs = nowMs;
        }
        slave.matchIndex = appliedIndex;
    }

    /** A message to a slave failed (it did not answer, refused, or timed out). */
    public void onContactFailed(String node, String why, long nowMs) {
        Slave slave = slaves.get(node);
        if (slave != null && slave.sync == Sync.IN_SYNC && slave.lastContactMs >= 0
                && nowMs - slave.lastContactMs > contactTimeoutMs) {
            markOutOfSync(node, "no answer for " + (nowMs - slave.lastContactMs) + " ms: " + why);
        }
    }

    /** A write to a slave failed: it no longer counts until it has caught up. */
    public void markOutOfSync(String node, String why) {
        Slave slave = slaves.get(node);
        if (slave != null) {
            slave.sync = Sync.OUT_OF_SYNC;
            slave.reason = why;
        }
    }

    /**
     * Time passes: slaves silent for the contact timeout, and (asynchronous replication) slaves that are behind and
     * made no progress for the stall timeout, go out of sync; a degraded semi-sync master returns to semi-sync
     * once k slaves have caught up.
     *
     * @return a line for each change, for the log
     */
    public List<String> tick(long nowMs, long lastIndex, ReplicationSettings settings) {
        List<String> changes = new ArrayList<>();
        for (Slave slave : slaves.values()) {
            boolean caughtUp = slave.matchIndex >= lastIndex;
            if (caughtUp) {
                slave.lastProgressMs = nowMs;
            }
            if (slave.sync != Sync.IN_SYNC) {
                continue;
            }
            if (slave.lastContactMs >= 0 && nowMs - slave.lastContactMs > contactTimeoutMs) {
                markOutOfSync(slave.node, "no answer for " + (nowMs - slave.lastContactMs) + " ms");
                changes.add(slave.node + " out of sync: " + slave.reason);
            } else if (!caughtUp && nowMs - slave.lastProgressMs > stallTimeoutMs) {
                markOutOfSync(slave.node, "behind at " + slave.matchIndex + " of " + lastIndex + " with no progress for "
                        + (nowMs - slave.lastProgressMs) + " ms");
                changes.add(slave.node + " out of sync: " + slave.reason);
            }
        }
        if (semiSyncDegraded != null) {
            long caughtUp = slaves.values().stream()
                    .filter(s -> s.sync == Sync.IN_SYNC && s.matchIndex >= lastIndex).count();
            if (caughtUp >= settings.semiSyncAcks()) {
                changes.add("semi-sync restored: " + caughtUp + " slave(s) caught up at " + lastIndex
                        + " (degraded because " + semiSyncDegraded + ")");
                semiSyncDegraded = null;
            }
        }
        return changes;
    }

    /**
     * Whether the master, counting itself, heard a majority of the replicas within {@code windowMs}. With ELECT a
     * master that does not takes no writes: the others may be electing a new master right now. The window should be
     * shorter than the slaves' master timeout, so the master stops before they start an election.
     */
    public boolean hasMajorityContact(long nowMs, long windowMs) {
        long heard = 1 + slaves.values().stream()
                .filter(s -> s.lastContactMs >= 0 && nowMs - s.lastContactMs <= windowMs).count();
        return heard > (slaves.size() + 1) / 2;
    }

    /**
     * Called when the master switches to a synchronous mode: an in-sync slave that is still behind (asynchronous
     * replication lets it lag) no longer counts until a catch-up has brought it to {@code lastIndex}, so the first
     * synchronous write does not fail on a gap.
     *
     * @return the slaves that went out of sync
     */
    public List<String> requireCaughtUp(long lastIndex) {
        List<String> behind = new ArrayList<>();
        for (Slave slave : slaves.values()) {
            if (slave.sync == Sync.IN_SYNC && slave.matchIndex < lastIndex) {
                markOutOfSync(slave.node, "behind at " + slave.matchIndex + " of " + lastIndex + " when writes became synchronous");
                behind.add(slave.node);
            }
        }
        return behind;
    }

    /** Out-of-sync slaves that answered recently: the master pushes them what they miss. */
    public List<String> needCatchUp(long nowMs) {
        return slaves.values().stream()
                .filter(s -> s.sync == Sync.OUT_OF_SYNC && s.lastContactMs >= 0 && nowMs - s.lastContactMs <= contactTimeoutMs)
                .map(s -> s.node)
                .toList();
    }

    /** After a catch-up: the slave counts again once it has everything up to {@code lastIndex}. */
    public boolean caughtUp(String node, long appliedIndex, long lastIndex, long nowMs) {
        onContact(node, appliedIndex, nowMs);
        Slave slave = slaves.get(node);
        if (slave != null && appliedIndex >= lastIndex) {
            slave.sync = Sync.IN_SYNC;
            slave.reason = null;
            return true;
        }
        return false;
    }

    /** Why semi-sync is degraded to async, or null when it is not. */
    public String semiSyncDegraded() {
        return semiSyncDegraded;
    }

    public long matchIndex(String node) {
        Slave slave = slaves.get(node);
        return slave == null ? -1 : slave.matchIndex;
    }

    public List<String> inSync() {
        return slaves.values().stream().filter(s -> s.sync == Sync.IN_SYNC).map(s -> s.node).toList();
    }

    public List<String> outOfSync() {
        return slaves.values().stream().filter(s -> s.sync == Sync.OUT_OF_SYNC).map(s -> s.node).toList();
    }

    public List<SlaveView> view(long nowMs) {
        return slaves.values().stream()
                .map(s -> new SlaveView(s.node, s.sync, s.reason, s.matchIndex,
                        s.lastContactMs >= 0 && nowMs - s.lastContactMs <= contactTimeoutMs, s.lastContactMs))
                .toList();
    }
}
