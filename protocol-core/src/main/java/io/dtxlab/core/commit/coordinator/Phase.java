package io.dtxlab.core.commit.coordinator;

/** The coordinator's phases, as messages and timers name them. */
public enum Phase {
    /** 2PC prepare, 3PC can-commit: the votes. */
    VOTE,
    /** 3PC only: pre-commit and its acknowledgements. */
    PRE_COMMIT,
    /** Phase 2 (2PC) or 3 (3PC): delivering the decision until every participant acknowledges. */
    DECISION,
    /** 3PC after a takeover without a logged decision: asking the participants' states for the termination rule. */
    TERMINATION,
    /** NONE: apply at once, no vote. */
    APPLY
}
