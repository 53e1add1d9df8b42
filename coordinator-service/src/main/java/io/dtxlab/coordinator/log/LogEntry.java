package io.dtxlab.coordinator.log;

import java.time.Instant;
import java.util.Map;

/**
 * One record of the coordinators' replicated log, as JSON in one Paxos slot: BEGIN (with the whole transaction, so a
 * new leader can finish it), PRE_COMMIT (3PC), DECISION (with its reason and the votes) or END.
 *
 * @param type BEGIN, PRE_COMMIT, DECISION or END
 * @param begin BEGIN only: the transaction as begun
 * @param decision DECISION only: COMMIT or ABORT
 * @param at when the coordinator asked for it (UTC)
 */
public record LogEntry(String type, String xid, LoggedTransaction begin, String decision, String reason,
        Map<String, String> votes, Instant at) {

    public static LogEntry begin(LoggedTransaction t) {
        return new LogEntry("BEGIN", t.xid(), t, null, null, null, t.begunAt());
    }

    public static LogEntry preCommit(String xid, Instant at) {
        return new LogEntry("PRE_COMMIT", xid, null, null, null, null, at);
    }

    public static LogEntry decision(String xid, String decision, String reason, Map<String, String> votes, Instant at) {
        return new LogEntry("DECISION", xid, null, decision, reason, votes, at);
    }

    public static LogEntry end(String xid, Instant at) {
        return new LogEntry("END", xid, null, null, null, null, at);
    }
}
