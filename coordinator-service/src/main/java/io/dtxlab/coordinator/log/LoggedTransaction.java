package io.dtxlab.coordinator.log;

import io.dtxlab.contract.BranchSpec;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A transaction as the log holds it.
 *
 * @param decision COMMIT or ABORT; null while undecided
 * @param votes each participant's vote ("YES", "NO: reason", or "none: reason"), stored with the decision
 * @param preCommittedAt 3PC: when every participant had voted YES and pre-commit began
 */
public record LoggedTransaction(String xid, String protocol, String coordinator, long epoch, List<BranchSpec> branches,
        Instant begunAt, String decision, String reason, Map<String, String> votes, Instant preCommittedAt,
        Instant decidedAt, Instant endedAt) {
}
