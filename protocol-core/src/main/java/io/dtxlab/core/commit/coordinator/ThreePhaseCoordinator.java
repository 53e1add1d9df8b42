package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchState;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Three-phase commit (Skeen, "Nonblocking Commit Protocols", 1981), presuming abort.
 * <ol>
 * <li>Start: log BEGIN. BEGIN durable: CAN_COMMIT to every participant (phase VOTE; they check without locking) and
 * the VOTES timer. A NO, a lost or refused can-commit, or the timer: log DECISION ABORT (nothing was locked).</li>
 * <li>Every vote YES: log PRE_COMMIT. PRE_COMMIT durable: PRE_COMMIT to every participant (phase PRE_COMMIT; they
 * lock) and the PRE_COMMIT_ACKS timer. Every ack ok: log DECISION COMMIT; a refusal, a lost message or the timer:
 * log DECISION ABORT.</li>
 * <li>The decision that counts durable: COMMIT (do-commit) or ABORT to every participant until each acknowledges;
 * END; the answer.</li>
 * </ol>
 * A takeover that finds no decision asks every participant for its branch's state (phase TERMINATION) and, once
 * each answered or failed to, applies {@link ThreePhaseTermination} to the states it got; when nobody answered, it
 * asks again after {@code askAgain}. To commit, a participant not known to be pre-committed gets PRE_COMMIT before
 * COMMIT ({@link DecisionDelivery}). Failure-free it costs 6n messages.
 */
final class ThreePhaseCoordinator extends AtomicCoordinator {

    /** Pre-commit acknowledgements; null until PRE_COMMIT is durable. */
    private CommitRound preCommits;
    private boolean preCommitProposed;
    /** Participants whose branch is known to be pre-committed (or committed): COMMIT may go to them directly. */
    private final Set<String> knownPreCommitted = new LinkedHashSet<>();
    // termination after a takeover
    private int asks;
    private boolean waitingToAsk;
    private final Set<String> answered = new LinkedHashSet<>();
    private final Map<String, BranchState> learned = new LinkedHashMap<>();

    ThreePhaseCoordinator(String xid, List<String> participants, CoordinatorTiming timing, Random random,
            RecoveredTransaction recovered) {
        super(xid, CommitProtocol.THREE_PHASE, participants, timing, random, recovered);
    }

    @Override
    BranchCommand voteCommand() {
        return BranchCommand.CAN_COMMIT;
    }

    @Override
    String voteName() {
        return "can-commit";
    }

    @Override
    void votesSettled(Decision decided, Out out) {
        if (decided == Decision.ABORT) {
            propose(Decision.ABORT, votes.reason(), out); // nothing was locked anywhere
            return;
        }
        preCommitProposed = true;
        out.log(new LogRecord.PreCommit(xid));
    }

    @Override
    void preCommitLogged(Out out) {
        if (!preCommitProposed || preCommits != null) {
            return;
        }
        phase = Phase.PRE_COMMIT;
        preCommits = new CommitRound(xid, participants);
        for (String p : participants) {
            out.send(new BranchRequest(p, BranchCommand.PRE_COMMIT, Phase.PRE_COMMIT, null, 1));
        }
        out.timer(TimerRequest.Kind.PRE_COMMIT_ACKS, null, timing.voteTimeout());
    }

    @Override
    void preCommitAnswered(String participant, boolean ok, String why, boolean answered, Out out) {
        if (preCommits == null) {
            return;
        }
        if (ok) {
            knownPreCommitted.add(participant);
        }
        if (decided() || preCommits.decision().isPresent()) {
            return;
        }
        (answered ? preCommits.onVote(participant, ok ? Vote.YES : Vote.NO, why)
                : preCommits.onNoVote(participant, why))
                .ifPresent(d -> propose(d, preCommits.reason(), out));
    }

    @Override
    void preCommitTimedOut(Out out) {
        if (preCommits != null && preCommits.decision().isEmpty()) {
            preCommits.onTimeout("the pre-commit timeout (" + timing.voteTimeout() + " ms)")
                    .ifPresent(d -> propose(d, preCommits.reason(), out));
        }
    }

    @Override
    Set<String> preCommitFirst() {
        Set<String> first = new LinkedHashSet<>(participants);
        first.removeAll(knownPreCommitted);
        return first;
    }

    @Override
    List<String> preCommittedForStatus() {
        return List.copyOf(knownPreCommitted);
    }

    // termination after a takeover

    @Override
    void recoveredWithoutDecision(Out out) {
        phase = Phase.TERMINATION;
        ask(out);
    }

    @Override
    void askAgain(Out out) {
        if (phase == Phase.TERMINATION && waitingToAsk) {
            ask(out);
        }
    }

    private void ask(Out out) {
        asks++;
        waitingToAsk = false;
        answered.clear();
        learned.clear();
        for (String p : participants) {
            out.send(new BranchRequest(p, null, Phase.TERMINATION, null, asks));
        }
    }

    @Override
    void stateLearned(String participant, BranchState state, Out out) {
        if (phase != Phase.TERMINATION || waitingToAsk || decided() || !answered.add(participant)) {
            return;
        }
        if (state != null) {
            learned.put(participant, state);
        }
        if (answered.size() < participants.size()) {
            return;
        }
        Map<String, BranchState> seen = new LinkedHashMap<>();
        for (String p : participants) {
            if (learned.containsKey(p)) {
                seen.put(p, learned.get(p));
            }
        }
        if (seen.isEmpty()) {
            waitingToAsk = true; // nobody answers: the termination rule has nothing to go on
            out.timer(TimerRequest.Kind.ASK_AGAIN, null, timing.askAgain());
            return;
        }
        seen.forEach((p, s) -> {
            if (s == BranchState.PRE_COMMITTED || s == BranchState.COMMITTED) {
                knownPreCommitted.add(p);
            }
        });
        Decision d = ThreePhaseTermination.decide(seen.values());
        propose(d, "3PC termination rule over " + seen + (d == Decision.COMMIT
                ? ": a participant is pre-committed or committed" : ": no participant is pre-committed"), out);
    }
}
