package io.dtxlab.chaos.check;

import io.dtxlab.chaos.history.History;

/**
 * A pure function from a run's history to a verdict, as Jepsen's checkers are. A checker that also needs the state
 * gathered after the run (a final read, a ledger, a snapshot) takes it when it is made. No I/O, no clock, no threads.
 */
public interface Checker {

    /** The checker's name in a report, e.g. {@code linearizable-register}. */
    String name();

    /**
     * Judges the run.
     *
     * @throws IllegalArgumentException when the history cannot be read the way this checker needs (the message names
     *         the operation): a runner's mistake, not the system's
     */
    Verdict check(History history);
}
