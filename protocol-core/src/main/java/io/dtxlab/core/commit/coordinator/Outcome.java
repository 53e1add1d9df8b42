package io.dtxlab.core.commit.coordinator;

/**
 * A transaction's outcome as the client learns it.
 *
 * @param outcome COMMIT or ABORT (2PC, 3PC); COMMIT, ABORT or PARTIAL (NONE)
 * @param reason why, for anything but a clean COMMIT; else null
 */
public record Outcome(String outcome, String reason) {
}
