package io.dtxlab.coordinator.audit;

import java.util.List;
import java.util.Map;

/**
 * What the audit found.
 *
 * @param consistent no mixed outcome, no branch against its decision, no half-done NONE transaction, every
 *        participant invariant holds, and every participant could be asked
 * @param checkedTransactions transactions compared with every participant's branches: decided ones from the log,
 *        plus the NONE transactions the participants' branches name
 * @param mixedOutcomes transactions with some branches committed and some aborted (or, in a saga that ended,
 *        compensated): atomicity broken
 * @param againstDecision branches that ended the other way from the coordinator's logged decision
 * @param halfDone NONE transactions (no atomic commitment) with some branches COMMITTED and others ABORTED or
 *        MISSING (the participant has no branch of it): what atomic commitment exists to prevent
 * @param compensating sagas going back whose compensations have not all succeeded yet, with steps still applied:
 *        not a violation (a saga is eventually consistent), and conservation holds once they finish
 * @param inDoubt per reachable participant, how many of its branches wait for a decision right now (PREPARED,
 *        VOTED or PRE_COMMITTED); a finished run leaves 0 everywhere
 * @param invariants each participant's own checks (conservation of stock and money, order status)
 * @param unreachable participants that could not be asked (their part is unchecked)
 */
public record AuditReport(boolean consistent, int checkedTransactions, List<Finding> mixedOutcomes,
        List<Finding> againstDecision, List<Finding> halfDone, List<Finding> compensating, Map<String, Long> inDoubt,
        List<ParticipantInvariants> invariants, List<String> unreachable) {

    /**
     * One transaction's decision and what each participant's branch says.
     *
     * @param decision the logged decision (COMMIT, ABORT); for NONE the outcome this coordinator saw (COMMIT, ABORT,
     *        PARTIAL), or null once it no longer remembers it
     * @param branches participant to branch state; for NONE also {@code MISSING} where a participant has no branch
     */
    public record Finding(String xid, String protocol, String decision, String reason, Map<String, String> branches) {
    }

    public record ParticipantInvariants(String participant, boolean holds, List<Check> checks) {
    }

    public record Check(String name, boolean holds, String detail) {
    }
}
