package io.dtxlab.core.replication;

import java.util.List;

/**
 * What became of one write once the acks were counted.
 *
 * @param committed true if the write stands and is answered with a receipt; false if it is undone (REJECT)
 * @param mode the mode actually used
 * @param acked the slaves that acknowledged a durable apply in time
 * @param failed the slaves that failed or did not answer in time (SYNC), with the reason in {@code failure}
 * @param degraded true if fewer slaves than the mode promises have the write
 * @param degradedReason why, when degraded
 * @param undoOn the slaves that applied an entry the master undoes (REJECT); they are told to undo it
 * @param failure the reason of the first failure, for the refusal message
 */
public record WriteOutcome(boolean committed, ReplicationMode mode, List<String> acked, List<String> failed,
        boolean degraded, String degradedReason, List<String> undoOn, String failure) {
}
