package io.dtxlab.core.commit.participant;

/**
 * The coordinator messages a branch answers. 2PC: PREPARE, then COMMIT or ABORT. 3PC: CAN_COMMIT, PRE_COMMIT, then
 * COMMIT (do-commit) or ABORT.
 */
public enum BranchCommand {
    PREPARE,
    CAN_COMMIT,
    PRE_COMMIT,
    COMMIT,
    ABORT
}
