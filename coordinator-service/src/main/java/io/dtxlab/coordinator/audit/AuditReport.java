package io.dtxlab.coordinator.audit;

import java.util.List;
import java.util.Map;

/**
 * What the audit found.
 *
 * @param consistent no mixed outcome, no branch against its decision, every participant invariant holds, and
 *        every participant could be asked
 * @param checkedTransactions decided transactions compared with every participant's branches
 * @param mixedOutcomes transactions with some branches committed and some aborted: atomicity broken
 * @param againstDecision branches that ended the other way from the coordinator's logged decision
 * @param invariants each participant's own checks (conservation of stock and money, order status)
 * @param unreachable participants that could not be asked (their part is unchecked)
 */
public record AuditReport(boolean consistent, int checkedTransactions, List<Finding> mixedOutcomes,
        List<Finding> againstDecision, List<ParticipantInvariants> invariants, List<String> unreachable) {

    /** One transaction's decision and what each participant's branch says. */
    public record Finding(String xid, String protocol, String decision, String reason, Map<String, String> branches) {
    }

    public record ParticipantInvariants(String participant, boolean holds, List<Check> checks) {
    }

    public record Check(String name, boolean holds, String detail) {
    }
}
