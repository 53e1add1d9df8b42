package io.dtxlab.coordinator.transaction;

import java.time.Instant;
import java.util.List;

/**
 * A global transaction as users see it.
 *
 * @param state BEGUN (phase 1: collecting votes), DECIDED (phase 2: the decision is durable, acknowledgements are
 *        missing), ENDED (every participant acknowledged)
 * @param decision COMMIT or ABORT, once durable
 * @param reason why it aborted: who voted NO and why, or who did not vote in time
 * @param participants each participant's vote and whether it acknowledged the decision
 * @param awaitingAck the participants phase 2 is still resending to
 * @param messages participant messages so far: a failure-free 2PC costs 4n (prepare, vote, commit, ack per
 *        participant), a failure-free 3PC 6n (can-commit, vote, pre-commit, ack, do-commit, ack)
 * @param consensusMessages Paxos messages the transaction's log records cost (accept, accepted, chosen per record),
 *        counted apart from the participant messages
 * @param timeline every message and log record with its time; empty for old transactions read back from the log
 */
public record TransactionView(String xid, String protocol, String state, String decision, String reason,
        String coordinator, long epoch, Instant begunAt, Instant decidedAt, Instant endedAt, Long durationMs,
        List<ParticipantView> participants, List<String> awaitingAck, Integer messages, Integer consensusMessages,
        List<TimelineEntry> timeline) {

    /**
     * @param vote YES, NO, or null if none arrived (2PC prepare, 3PC can-commit)
     * @param voteReason why NO, or why no vote arrived
     * @param preCommitted 3PC: whether it acknowledged pre-commit (null for 2PC, or before pre-commit)
     * @param acknowledged whether it applied the decision
     */
    public record ParticipantView(String participant, String vote, String voteReason, Boolean preCommitted,
            boolean acknowledged) {
    }
}
