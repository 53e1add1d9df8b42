package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import java.util.List;
import java.util.Map;

/**
 * What a {@link TransactionCoordinator} knows, for views and metrics (a copy; changing nothing).
 *
 * @param phase the phase it is in
 * @param votes per participant that answered phase 1: its vote (YES/NO) and reason
 * @param preCommitted 3PC: participants that acknowledged pre-commit
 * @param decision the decision once durable (logged and chosen), else null
 * @param reason the decision's reason, or null
 * @param awaitingAck participants that have not acknowledged the durable decision (empty before it)
 * @param ended every participant acknowledged (or, for NONE, answered)
 */
public record CoordinatorStatus(String xid, CommitProtocol protocol, Phase phase, Map<String, CommitRound.Ballot> votes,
        List<String> preCommitted, Decision decision, String reason, List<String> awaitingAck, boolean ended,
        ApplyRound.Outcome applyOutcome) {
}
