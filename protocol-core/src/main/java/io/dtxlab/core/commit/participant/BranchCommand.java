package io.dtxlab.core.commit.participant;

/**
 * The coordinator messages a branch answers. 2PC: PREPARE, then COMMIT or ABORT. 3PC: CAN_COMMIT, PRE_COMMIT, then
 * COMMIT (do-commit) or ABORT. TCC: TRY, then CONFIRM or CANCEL. NONE (no atomic commitment): APPLY alone. A saga:
 * APPLY for each step, COMPENSATE to undo one.
 */
public enum BranchCommand {
    PREPARE,
    CAN_COMMIT,
    PRE_COMMIT,
    COMMIT,
    ABORT,
    /** NONE: do the work now, for good (reserve and apply in one local transaction); no vote, no second message. */
    APPLY,
    /** TCC's try: reserve the resource as a business-level state that other transactions see; it may refuse. */
    TRY,
    /** TCC's confirm: turn the reservation into the real effect; idempotent. */
    CONFIRM,
    /** TCC's cancel: give the reservation back; idempotent, and recorded when no try came first (an empty cancel). */
    CANCEL,
    /**
     * A saga's compensation: undo an applied step by a new local transaction (give the stock back, refund, cancel the
     * order); idempotent, and recorded when the step never arrived, so that the late step is refused.
     */
    COMPENSATE
}
