package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.Op;
import io.dtxlab.core.replication.ReplicationMode;
import java.util.List;

/**
 * The durability receipt of a write: where it is in the log, how it was replicated and who has it.
 *
 * @param key the key
 * @param op PUT or DELETE
 * @param value the value written (null for a delete)
 * @param index its index in the replication log
 * @param epoch the master's epoch
 * @param master the master that wrote it
 * @param mode the mode actually used (a degraded semi-sync master writes ASYNC)
 * @param acknowledgedBy the replicas that had applied it durably when it was answered, the master first
 * @param degraded true if fewer replicas have it than the configured mode promises
 * @param degradedReason why
 * @param forwardedBy the slave that forwarded the write to the master, if any
 * @param latencyMs how long the master took, replication included
 */
record Receipt(String key, Op op, String value, long index, long epoch, String master, ReplicationMode mode,
        List<String> acknowledgedBy, boolean degraded, String degradedReason, String forwardedBy, long latencyMs) {

    Receipt forwardedBy(String slave) {
        return new Receipt(key, op, value, index, epoch, master, mode, acknowledgedBy, degraded, degradedReason, slave, latencyMs);
    }
}
