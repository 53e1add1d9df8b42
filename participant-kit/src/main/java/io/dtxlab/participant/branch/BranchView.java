package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;
import java.time.Instant;

/**
 * A branch as users see it.
 *
 * @param inDoubt PREPARED: it voted YES, holds its reservation, and waits for the decision
 * @param inDoubtForMs how long it has been in doubt
 * @param coordinator the coordinator that prepared it (or last spoke to it with a newer epoch)
 * @param epoch that coordinator's epoch (ballot)
 * @param emptyRollback the abort came before any prepare: nothing was reserved, and a late prepare is refused
 * @param payload what commit and abort need, as the coordinator sent it
 */
public record BranchView(String xid, String participant, String protocol, BranchState state, boolean inDoubt,
        Long inDoubtForMs, String coordinator, long epoch, Instant preparedAt, Instant endedAt, String reason,
        boolean emptyRollback, String payload) {
}
