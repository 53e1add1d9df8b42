package io.dtxlab.core.commit.participant;

/** What the participant's resource must do for a step, in the same local transaction that stores the new state. */
public enum Effect {
    /** 3PC can-commit: could the work be done? Check without locking or reserving anything; it may refuse. */
    CHECK,
    /** Do the tentative work (reserve stock, hold funds, create the order as PENDING); it may refuse. */
    RESERVE,
    /** Turn the reservation into the real effect. */
    APPLY,
    /**
     * NONE's one-phase apply: reserve, then at once turn the reservation into the real effect, in one local
     * transaction; the resource may refuse the reserve, and then nothing happens.
     */
    RESERVE_AND_APPLY,
    /** Give the reservation back. */
    RELEASE,
    /** Nothing to undo, but remember the abort, so that a late prepare is refused (an empty rollback). */
    RECORD_EMPTY_ROLLBACK,
    /**
     * A saga's compensation: undo what {@link #RESERVE_AND_APPLY} did, in a new local transaction (give the stock back,
     * refund the charge, cancel the order). It must not refuse for a business reason; it may fail and be retried.
     */
    COMPENSATE,
    /** Nothing to undo, but remember the compensation, so that a late saga step is refused (an empty compensation). */
    RECORD_EMPTY_COMPENSATION,
    /** Store the new state; the resource has nothing to do (3PC: abort of a branch that only voted). */
    RECORD,
    /** A duplicate or a refusal: store nothing, change nothing. */
    NONE
}
