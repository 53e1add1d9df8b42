package io.dtxlab.core.commit.participant;

/** What the participant's resource must do for a step, in the same local transaction that stores the new state. */
public enum Effect {
    /** Do the tentative work (reserve stock, hold funds, create the order as PENDING); it may refuse. */
    RESERVE,
    /** Turn the reservation into the real effect. */
    APPLY,
    /** Give the reservation back. */
    RELEASE,
    /** Nothing to undo, but remember the abort, so that a late prepare is refused (an empty rollback). */
    RECORD_EMPTY_ROLLBACK,
    /** A duplicate or a refusal: store nothing, change nothing. */
    NONE
}
