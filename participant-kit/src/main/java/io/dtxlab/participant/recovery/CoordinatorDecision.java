package io.dtxlab.participant.recovery;

/**
 * The coordinator's answer to "what was decided for this transaction?".
 *
 * @param known whether the coordinator has the transaction in its log; an unknown transaction was never begun
 *        there, so under presumed abort it aborted
 * @param decision COMMIT, ABORT, or null while phase 1 is still running
 * @param coordinator the answering coordinator
 * @param epoch its epoch, which the resulting commit or abort carries
 * @param reason why it aborted
 */
public record CoordinatorDecision(String xid, boolean known, String decision, String coordinator, long epoch,
        String reason) {
}
