package io.dtxlab.coordinator.transaction;

import java.time.Instant;
import java.util.List;

/**
 * A global transaction as users see it.
 *
 * @param protocol {@code 2PC}, {@code 3PC}, {@code TCC}, {@code SAGA} or {@code NONE}
 * @param state BEGUN (phase 1: collecting votes; NONE: collecting apply answers; a saga: applying its steps), DECIDED
 *        (phase 2: the decision is durable, acknowledgements are missing), COMPENSATING (a saga going back: its
 *        compensations are retried until each succeeds), ENDED (every participant acknowledged; NONE: every
 *        participant answered, or the timeout fired; a saga: every step applied, or every applied step compensated)
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
 * @param timeline every message and log record with its time, from every coordinator that ran the transaction
 *        (the one that began it and, after a failover, the one that finished it), ordered by time; null when none
 *        of their records can be read now ({@code timelineMissing} says why)
 * @param timelineFrom the coordinators whose records make up {@code timeline}, in the order they ran it; a
 *        coordinator that did not run the transaction fetches them from those that did
 * @param timelineStored whether every part of {@code timeline} is in its coordinator's H2 file (a run's timeline is
 *        written when the run ends or is left to the next leader, and survives that coordinator's restart)
 * @param timelineMissing null when the timeline is whole; else which part cannot be shown and why, e.g. {@code
 *        coordinator-1 began it and keeps its timeline, but cannot be reached now (UNREACHABLE); ask again once it
 *        is back}
 */
public record TransactionView(String xid, String protocol, String state, String decision, String reason,
        String coordinator, long epoch, Instant begunAt, Instant decidedAt, Instant endedAt, Long durationMs,
        List<ParticipantView> participants, List<String> awaitingAck, Integer messages, Integer consensusMessages,
        List<TimelineEntry> timeline, List<String> timelineFrom, boolean timelineStored, String timelineMissing) {

    /** This view with another timeline and where it comes from. */
    TransactionView withTimeline(List<TimelineEntry> entries, List<String> from, Integer allMessages,
            Integer allConsensusMessages, boolean stored, String missing) {
        return new TransactionView(xid, protocol, state, decision, reason, coordinator, epoch, begunAt, decidedAt,
                endedAt, durationMs, participants, awaitingAck, allMessages, allConsensusMessages, entries, from,
                stored, missing);
    }


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
