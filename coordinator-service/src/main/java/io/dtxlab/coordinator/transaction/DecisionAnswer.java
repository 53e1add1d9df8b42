package io.dtxlab.coordinator.transaction;

/**
 * The answer to an in-doubt participant's "what was decided?" (the participant kit's contract).
 *
 * @param known false: this leader's log has no such transaction, so it never began here and, under presumed abort,
 *        it aborted
 * @param decision COMMIT, ABORT, or null while phase 1 is running
 */
record DecisionAnswer(String xid, boolean known, String decision, String coordinator, long epoch, String reason) {
}
