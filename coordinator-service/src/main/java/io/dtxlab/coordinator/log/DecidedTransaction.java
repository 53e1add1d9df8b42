package io.dtxlab.coordinator.log;

import java.util.List;

/**
 * A decided transaction in brief, without payloads or votes: what the audit compares with the participants'
 * branches, small enough to hold 100,000 of in memory.
 *
 * @param participants the participants that have a branch of it, in the order of BEGIN
 * @param decision COMMIT or ABORT
 * @param ended END is logged: every participant acknowledged (a saga: every applied step was compensated)
 */
public record DecidedTransaction(String xid, String protocol, List<String> participants, String decision,
        String reason, boolean ended) {
}
