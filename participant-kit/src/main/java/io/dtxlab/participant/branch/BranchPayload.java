package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;

/**
 * A branch as the participant's own audit reads it: its state and payload only, read as a projection (no entity,
 * nothing for the persistence context to track), because the audit reads every branch there is.
 */
public record BranchPayload(String xid, BranchState state, String payload) {
}
