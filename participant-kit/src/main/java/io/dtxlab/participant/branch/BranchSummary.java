package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;
import java.time.Instant;

/**
 * A branch reduced to what the coordinator's audit compares: one small row per transaction, so that a benchmark
 * run of 100,000 transactions can be checked in one call per participant.
 *
 * @param protocol {@code 2PC}, {@code 3PC} or {@code NONE}
 * @param updatedAt when the branch last changed state
 */
public record BranchSummary(String xid, String protocol, BranchState state, Instant updatedAt) {
}
