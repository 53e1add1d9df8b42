package io.dtxlab.core.commit.participant;

/**
 * The coordinator messages a branch answers. 2PC: PREPARE, then COMMIT or ABORT. 3PC: CAN_COMMIT, PRE_COMMIT, then
 * COMMIT (do-commit) or ABORT. NONE (no atomic commitment): APPLY alone.
 */
public enum BranchCommand {
    PREPARE,
    CAN_COMMIT,
    PRE_COMMIT,
    COMMIT,
    ABORT,
    /** NONE: do the work now, for good (reserve and apply in one local transaction); no vote, no second message. */
    APPLY
}
