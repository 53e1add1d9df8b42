package io.dtxlab.participant.resource;

import io.dtxlab.core.commit.participant.BranchState;

/** A branch as the audit hands it to the resource: its state and its payload. */
public record BranchRecord<P>(String xid, BranchState state, P payload) {
}
