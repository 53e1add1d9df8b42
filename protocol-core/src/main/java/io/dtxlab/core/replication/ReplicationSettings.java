package io.dtxlab.core.replication;

import java.util.Objects;

/**
 * The replication settings the master applies to each write; switchable at runtime and passed to the slaves with
 * every heartbeat, so that a newly elected master keeps them.
 *
 * @param mode SYNC, SEMI_SYNC or ASYNC
 * @param syncFailure what SYNC does when a slave fails: REJECT or DEGRADE
 * @param semiSyncAcks k: how many slave acks a SEMI_SYNC write waits for
 * @param semiSyncTimeoutMs how long it waits before it degrades to async
 */
public record ReplicationSettings(ReplicationMode mode, SyncFailurePolicy syncFailure, int semiSyncAcks,
        long semiSyncTimeoutMs) {

    public ReplicationSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(syncFailure, "syncFailure");
        if (semiSyncAcks < 1) {
            throw new IllegalArgumentException("semi-sync needs at least 1 slave ack, was " + semiSyncAcks);
        }
        if (semiSyncTimeoutMs < 1) {
            throw new IllegalArgumentException("semi-sync timeout must be positive, was " + semiSyncTimeoutMs);
        }
    }
}
