package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;
import java.time.Instant;

/** A waiting branch as {@link WaitingBranches} is filled from the table at start (a projection, no entity). */
record BranchWaiting(String xid, BranchState state, Instant preparedAt, Instant updatedAt) {
}
