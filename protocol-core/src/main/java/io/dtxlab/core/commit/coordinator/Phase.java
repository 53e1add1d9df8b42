package io.dtxlab.core.commit.coordinator;

/** The coordinator's phases, as messages and timers name them. */
public enum Phase {
    /** 2PC prepare, 3PC can-commit, TCC try: the votes. */
    VOTE,
    /** 3PC only: pre-commit and its acknowledgements. */
    PRE_COMMIT,
    /** Phase 2 (2PC, TCC's confirm or cancel) or 3 (3PC): delivering the decision until every participant acknowledges. */
    DECISION,
    /** 3PC after a takeover without a logged decision: asking the participants' states for the termination rule. */
    TERMINATION,
    /** NONE: apply at once, no vote. */
    APPLY,
    /** A saga going forward: one step applied at a time, in the declared order. */
    STEP,
    /** A saga going backward: the applied steps compensated one at a time, in reverse order, until each succeeds. */
    COMPENSATION
}
