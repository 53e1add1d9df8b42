package io.dtxlab.replica.replication;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.core.replication.EpochHistory;
import io.dtxlab.core.replication.FailoverPolicy;
import io.dtxlab.core.replication.ReplicaSet;
import io.dtxlab.core.replication.ReplicationSettings;
import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What this replica is right now: master or slave, of which epoch, under which master, how far it has applied the
 * log, and what it last heard. The epoch history is on disk ({@link ReplicationStore}); this is its cached copy.
 * <p>
 * Locks, always taken in this order: {@link #writeLock} (the master's one-write-at-a-time path, and the last step of a
 * catch-up), then {@link #applyLock} (every change to the log, the data or the role).
 */
@Component
class ReplicaState {

    enum Role {
        MASTER,
        SLAVE
    }

    private static final Logger log = LoggerFactory.getLogger(ReplicaState.class);

    final ReentrantLock writeLock = new ReentrantLock();
    final ReentrantLock applyLock = new ReentrantLock();

    private final String self;
    private final List<String> replicas;
    private final ReplicationProperties properties;
    private final Object appliedMonitor = new Object();
    private final AtomicLong appliedViaReplicate = new AtomicLong();
    private final AtomicLong appliedViaKafka = new AtomicLong();
    private final AtomicLong appliedViaCatchUp = new AtomicLong();
    private final AtomicLong fencedEntries = new AtomicLong();
    private final java.util.Map<String, Long> resendFrom = new java.util.concurrent.ConcurrentHashMap<>();

    private volatile Role role = Role.SLAVE;
    private volatile EpochHistory history;
    private volatile ReplicationSettings settings;
    private volatile long appliedIndex;
    private volatile boolean confirmed;
    private volatile ReplicaSet slaves;
    private volatile long lastHeardMasterMs = Clocks.monotonicMs();
    private volatile Messages.Heartbeat lastHeartbeat;
    private volatile long lastHeartbeatAtMs;
    private volatile Instant lastContactWithMaster;
    /** The master's write under way, between its local append and its commit or undo; null when none. */
    private volatile Uncommitted uncommitted;
    /** A sequence lock around {@link #uncommitted}: odd while a write is under way. */
    private final AtomicLong writeGeneration = new AtomicLong();

    /** A write applied on the master but not yet committed (acknowledged as its mode asks) or undone. */
    private record Uncommitted(String key, Optional<ReplicationStore.Versioned> before) {
    }

    /**
     * The master is about to apply a write of {@code key} before it knows whether the write commits: until {@link
     * #writeEnded()}, reads of the key answer {@code before}, its committed value. Under SYNC with REJECT a write a
     * slave fails is undone; a read that saw it would have read a value that never was (a dirty read, which broke
     * linearizability in a chaos run: a read returned a write the master then undid, and the next read the value
     * before it). Called under {@link #writeLock}, so one write at a time.
     */
    void writeBegins(String key, Optional<ReplicationStore.Versioned> before) {
        uncommitted = new Uncommitted(key, before);
        writeGeneration.incrementAndGet();
    }

    /** The write under way committed or was undone: reads see the data again. */
    void writeEnded() {
        writeGeneration.incrementAndGet();
        uncommitted = null;
    }

    /**
     * A key's committed value: the data's, except while the master's write of that key is under way, when it is the
     * value before that write. Lock-free (a sequence lock): a read that overlaps the start or the end of a write
     * reads again.
     */
    Optional<ReplicationStore.Versioned> committed(String key, Function<String, Optional<ReplicationStore.Versioned>> data) {
        while (true) {
            long before = writeGeneration.get();
            Uncommitted pending = uncommitted;
            Optional<ReplicationStore.Versioned> value = data.apply(key);
            if (writeGeneration.get() == before) {
                return (before & 1) == 1 && pending != null && pending.key().equals(key) ? pending.before() : value;
            }
        }
    }

    ReplicaState(ClusterClient client, ReplicationProperties properties, ReplicationStore store) {
        this.self = client.self();
        this.replicas = client.members().asMap().keySet().stream()
                .filter(id -> NodeRole.ofNodeId(id).filter(r -> r == NodeRole.REPLICA).isPresent())
                .toList();
        this.properties = properties;
        this.settings = new ReplicationSettings(properties.mode(), properties.syncFailure(),
                properties.semiSync().acks(), properties.semiSync().timeout().toMillis());
        if (settings.mode() == io.dtxlab.core.replication.ReplicationMode.SEMI_SYNC
                && settings.semiSyncAcks() > replicas.size() - 1) {
            throw new IllegalStateException("dtx.replication.semi-sync.acks=" + settings.semiSyncAcks() + " with mode "
                    + "SEMI_SYNC, but this cluster has " + (replicas.size() - 1) + " slave(s): every write would "
                    + "degrade; set it to at most the number of slaves");
        }
        if (!replicas.contains(properties.master())) {
            log.warn("dtx.replication.master {} is not a replica of this cluster {}: no master until one is elected",
                    properties.master(), replicas);
        }
        EpochHistory stored = store.history().orElseGet(() -> {
            EpochHistory initial = EpochHistory.initial(properties.master());
            store.saveHistory(initial, null);
            return initial;
        });
        this.appliedIndex = store.lastIndex();
        if (stored.current().master().equals(self)) {
            // After a restart with ELECT, another master may have been elected meanwhile: confirm before writing.
            becomeMaster(stored, properties.failover() == FailoverPolicy.WAIT);
        } else {
            becomeSlave(stored);
        }
        log.info("replication: {} starts as {} of epoch {} (master {}), log at {}", self, role, epoch(), master(), appliedIndex);
    }

    String self() {
        return self;
    }

    /** Every replica of the cluster, this one included. */
    List<String> replicas() {
        return replicas;
    }

    List<String> otherReplicas() {
        return replicas.stream().filter(id -> !id.equals(self)).toList();
    }

    FailoverPolicy failover() {
        return properties.failover();
    }

    Role role() {
        return role;
    }

    boolean isMaster() {
        return role == Role.MASTER;
    }

    EpochHistory history() {
        return history;
    }

    long epoch() {
        return history.current().epoch();
    }

    String master() {
        return history.current().master();
    }

    ReplicationSettings settings() {
        return settings;
    }

    void settings(ReplicationSettings settings) {
        this.settings = settings;
    }

    /** Becomes master of the current epoch of {@code history}; its slaves all start out of sync, not heard yet. */
    void becomeMaster(EpochHistory history, boolean confirmed) {
        this.history = history;
        this.slaves = new ReplicaSet(otherReplicas(), Clocks.monotonicMs(), properties.masterTimeout().toMillis(),
                properties.stallTimeout().toMillis());
        this.confirmed = confirmed;
        this.role = Role.MASTER;
    }

    void becomeSlave(EpochHistory history) {
        this.role = Role.SLAVE;
        this.history = history;
        this.slaves = null;
        this.confirmed = false;
        this.lastHeardMasterMs = Clocks.monotonicMs();
        this.lastHeartbeat = null; // the lag another master reported says nothing about this one
        this.lastContactWithMaster = null;
    }

    /** A master is confirmed once a majority answered it in its epoch (with ELECT, after a restart). */
    boolean confirmed() {
        return confirmed;
    }

    void confirm() {
        confirmed = true;
    }

    /** Runs {@code action} on the master's view of its slaves, serialised; null on a slave. */
    <T> T slaves(Function<ReplicaSet, T> action) {
        ReplicaSet set = slaves;
        if (set == null) {
            return null;
        }
        synchronized (set) {
            return action.apply(set);
        }
    }

    /** A slave's next catch-up starts at {@code index} at the latest: it may hold an entry the master undid. */
    void resendFrom(String slave, long index) {
        resendFrom.merge(slave, index, Math::min);
    }

    /** Where a slave's catch-up must start at the latest, and forgets it; null when anywhere after its index will do. */
    Long takeResendFrom(String slave) {
        return resendFrom.remove(slave);
    }

    long appliedIndex() {
        return appliedIndex;
    }

    void applied(long index) {
        synchronized (appliedMonitor) {
            appliedIndex = index;
            appliedMonitor.notifyAll();
        }
    }

    /** Waits until this replica has applied {@code index}, at most {@code timeoutMs}; true if it has. */
    boolean awaitApplied(long index, long timeoutMs) throws InterruptedException {
        long deadline = Clocks.monotonicMs() + timeoutMs;
        synchronized (appliedMonitor) {
            while (appliedIndex < index) {
                long left = deadline - Clocks.monotonicMs();
                if (left <= 0) {
                    return false;
                }
                appliedMonitor.wait(left); // woken by applied(); a condition wait, not a sleep
            }
            return true;
        }
    }

    /** The master sent a message: entries, or (when not null) a heartbeat with its log's end and settings. */
    void heardFromMaster(Messages.Heartbeat heartbeat) {
        long now = Clocks.monotonicMs();
        lastHeardMasterMs = now;
        lastContactWithMaster = Instant.ofEpochMilli(Clocks.wallMs());
        if (heartbeat != null) {
            lastHeartbeat = heartbeat;
            lastHeartbeatAtMs = now;
            settings = heartbeat.settings();
        }
    }

    /**
     * Gives the master a whole master timeout from now before this slave counts it gone (after a start, or a vote
     * for a candidate), without pretending it was heard.
     */
    void restartMasterTimeout() {
        lastHeardMasterMs = Clocks.monotonicMs();
    }

    /** Whether this slave heard its master within the master timeout. */
    boolean hearsMaster() {
        return isMaster() || Clocks.monotonicMs() - lastHeardMasterMs <= properties.masterTimeout().toMillis();
    }

    long msSinceMasterHeard() {
        return Clocks.monotonicMs() - lastHeardMasterMs;
    }

    /**
     * How fresh what this replica serves is, as far as it can know. A slave knows its lag only from its master's
     * heartbeats: once the master has not been heard for the master timeout (or not at all yet), writes may have
     * happened that it cannot count, so its lag is unknown (null), never 0. A master with failover ELECT that has
     * lost its majority (or is not yet confirmed) may have been replaced, so its data may be stale too.
     */
    Freshness freshness() {
        if (isMaster()) {
            if (properties.failover() == FailoverPolicy.ELECT) {
                String why = !confirmed ? "not yet confirmed by a majority as master of epoch " + epoch()
                        : Boolean.TRUE.equals(slaves(set -> set.hasMajorityContact(Clocks.monotonicMs(),
                                properties.masterTimeout().toMillis() / 2))) ? null
                        : "a majority of replicas not heard: another master may have been elected (failover ELECT)";
                if (why != null) {
                    return new Freshness(true, null, null, null, null, why);
                }
            }
            return new Freshness(false, 0L, 0L, null, null, null);
        }
        long silentMs = msSinceMasterHeard();
        Instant contact = lastContactWithMaster;
        Messages.Heartbeat hb = lastHeartbeat;
        if (!hearsMaster() || hb == null) {
            String why = hb == null && hearsMaster() ? "no heartbeat from master " + master() + " yet"
                    : "master " + master() + " not heard for " + silentMs + " ms (master timeout "
                            + properties.masterTimeout().toMillis() + " ms): writes since then are unknown here";
            return new Freshness(true, null, null, contact, silentMs, why);
        }
        long entries = lagEntries();
        return new Freshness(entries > 0, entries, lagMs(), contact, silentMs,
                entries > 0 ? entries + " entries behind master " + master() + " as of its last heartbeat" : null);
    }

    /**
     * How fresh a replica's data is, as it can know it.
     *
     * @param possiblyStale whether writes this replica has not applied may exist (lag above 0, or unknown)
     * @param lagEntries entries behind the master as of its last heartbeat; null when unknown (master not heard)
     * @param lagMs how old the oldest write it misses is, in ms; null when unknown
     * @param lastHeardFromMasterAt on a slave: when its master last sent it anything (null: not since it became a
     *        slave of this master); the lag figures are as of then
     * @param masterSilentForMs on a slave: ms since then (or since it started waiting for its master)
     * @param staleReason why it may be stale; null when it is not
     */
    record Freshness(boolean possiblyStale, Long lagEntries, Long lagMs, Instant lastHeardFromMasterAt,
            Long masterSilentForMs, String staleReason) {
    }

    /** Entries this slave lags behind the master, as of the last heartbeat. */
    long lagEntries() {
        Messages.Heartbeat hb = lastHeartbeat;
        return isMaster() || hb == null ? 0 : Math.max(0, hb.lastIndex() - appliedIndex);
    }

    /** How old the oldest write this slave misses is, in the master's clock; 0 when it has them all. */
    long lagMs() {
        Messages.Heartbeat hb = lastHeartbeat;
        if (isMaster() || hb == null || appliedIndex >= hb.lastIndex() || hb.firstMissingWrittenAtMs() == null) {
            return 0;
        }
        long masterNow = hb.masterNowMs() + (Clocks.monotonicMs() - lastHeartbeatAtMs);
        return Math.max(0, masterNow - hb.firstMissingWrittenAtMs());
    }

    AtomicLong appliedViaReplicate() {
        return appliedViaReplicate;
    }

    AtomicLong appliedViaKafka() {
        return appliedViaKafka;
    }

    AtomicLong appliedViaCatchUp() {
        return appliedViaCatchUp;
    }

    AtomicLong fencedEntries() {
        return fencedEntries;
    }

    Messages.Position position(long votedEpoch) {
        return new Messages.Position(self, role.name(), epoch(), votedEpoch, appliedIndex, master(), hearsMaster());
    }
}
