package io.dtxlab.core.commit.participant;

/** The coordinator messages a branch answers. 3PC's can-commit, pre-commit and do-commit join these in [C]. */
public enum BranchCommand {
    PREPARE,
    COMMIT,
    ABORT
}
