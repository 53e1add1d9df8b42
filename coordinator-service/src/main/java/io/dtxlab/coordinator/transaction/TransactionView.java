package io.dtxlab.coordinator.transaction;

import java.time.Instant;
import java.util.List;

/**
 * A global transaction as users see it.
 *
 * @param protocol {@code 2PC}, {@code 3PC} or {@code NONE}
 * @param state BEGUN (phase 1: collecting votes; NONE: collecting apply answers), DECIDED (phase 2: the decision is
 *        durable, acknowledgements are missing), ENDED (every participant acknowledged; NONE: every participant
 *        answered, or the timeout fired)
 * @param decision COMMIT or ABORT, once durable; for NONE the outcome: COMMIT (every branch applied), ABORT (none
 *        did) or PARTIAL (some applied and keep their effect, some did not)
 * @param reason why it aborted: who voted NO and why, or who did not vote in time; for NONE what was applied and
 *        kept and what was refused, e.g. {@code not atomic: order, inventory applied and kept; payment refused: …}
 * @param participants each participant's vote and whether it acknowledged the decision
 * @param awaitingAck the participants phase 2 is still resending to
 * @param messages participant messages so far: a failure-free 2PC costs 4n (prepare, vote, commit, ack per
 *        participant), a failure-free 3PC 6n (can-commit, vote, pre-commit, ack, do-commit, ack), NONE 2n (apply,
 *        its answer)
 * @param consensusMessages Paxos messages the transaction's log records cost (accept, accepted, chosen per record),
 *        counted apart from the participant messages; always 0 for NONE (nothing is logged)
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
     * @param acknowledged whether it applied the decision; NONE: whether it answered the apply
     * @param applied NONE only: whether it applied its part (false: refused or no answer; null before an answer and
     *        for 2PC/3PC); {@code voteReason} then says why not
     */
    public record ParticipantView(String participant, String vote, String voteReason, Boolean preCommitted,
            boolean acknowledged, Boolean applied) {
    }
}
