package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;

/**
 * The coordinator of one global transaction, as a pure state machine: inputs in ({@link CoordinatorInput}), records
 * to log, messages to send, timers to set and the client's answer out ({@link CoordinatorReady}). No clock, no
 * threads, no I/O: the edge feeds it, one input at a time, and does what the output says, in the order it says.
 * <p>
 * One implementation per protocol ({@link Coordinators}): 2PC and 3PC with presumed abort, and NONE (apply at
 * once, no atomic commitment). A Saga or TCC coordinator is one more.
 */
public interface TransactionCoordinator {

    String xid();

    CommitProtocol protocol();

    /** Feeds one input; returns what to do about it. Never throws for an input that no longer matters. */
    CoordinatorReady step(CoordinatorInput input);

    CoordinatorStatus status();
}
