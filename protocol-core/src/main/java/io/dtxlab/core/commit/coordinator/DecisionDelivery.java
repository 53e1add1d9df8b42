package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.participant.BranchCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The last phase: delivers a durable decision to every participant and resends to each one until it acknowledges.
 * Resending is safe because a branch applies commit and abort at most once.
 * <p>
 * Per participant: a message is out; its loss ({@link CoordinatorInput.Lost}) sets a {@link TimerRequest.Kind#RESEND}
 * timer after an exponential backoff ({@code resendInitial * 2^(n-1)} for the n-th loss in a row, capped at
 * {@code resendMax}, then jittered by up to 20% either way, as resilience4j's {@code ofExponentialRandomBackoff} with
 * randomization 0.2); the timer resends. An acknowledgement ends it, whenever it comes; a refusal stops it (a newer
 * epoch fences this coordinator, or the branch contradicts the decision: resending would not help).
 * <p>
 * 3PC commit: a participant not known to be pre-committed first gets PRE_COMMIT (phase {@link Phase#PRE_COMMIT}),
 * and COMMIT once it acknowledges that. This is the 3PC termination protocol (Skeen, "Nonblocking Commit
 * Protocols", 1981): a branch that only voted cannot commit directly (the participant refuses do-commit there), and
 * left alone it would abort by its own timeout while the others commit.
 */
final class DecisionDelivery {

    private enum State {
        /** A message is out, no answer yet. */
        SENT,
        /** The last message was lost; a resend timer is set. */
        BACKING_OFF,
        ACKNOWLEDGED,
        /** Refused: no more messages to this participant. */
        STOPPED
    }

    private static final class Branch {
        State state;
        /** What this participant is sent now: PRE_COMMIT (3PC, before COMMIT), COMMIT or ABORT. */
        BranchCommand command;
        int attempt;
        int lossesInARow;
        /** It acknowledged a PRE_COMMIT sent in this phase. */
        boolean preCommittedHere;
    }

    private final Decision decision;
    private final String reason;
    private final CoordinatorTiming timing;
    private final Random random;
    private final Map<String, Branch> branches = new LinkedHashMap<>();

    /**
     * @param last the decision's message: COMMIT or ABORT (TCC: CONFIRM or CANCEL)
     * @param preCommitFirst participants that get PRE_COMMIT before COMMIT (3PC commit only; empty otherwise)
     */
    DecisionDelivery(List<String> participants, Decision decision, BranchCommand last, String reason,
            Set<String> preCommitFirst, CoordinatorTiming timing, Random random) {
        this.decision = decision;
        this.reason = reason;
        this.timing = timing;
        this.random = random;
        for (String p : participants) {
            Branch b = new Branch();
            b.command = decision == Decision.COMMIT && preCommitFirst.contains(p) ? BranchCommand.PRE_COMMIT : last;
            branches.put(p, b);
        }
    }

    /** The first message to every participant. */
    void start(Out out) {
        branches.keySet().forEach(p -> send(p, out));
    }

    /**
     * An acknowledgement of phase {@code phase}. Returns true when this one made every participant acknowledge the
     * decision.
     */
    boolean onAcknowledged(String participant, Phase phase, boolean ok, Out out) {
        Branch b = branches.get(participant);
        if (b == null || b.state == State.ACKNOWLEDGED) {
            return false;
        }
        if (phase == Phase.PRE_COMMIT) {
            if (b.command != BranchCommand.PRE_COMMIT || b.state == State.STOPPED) {
                return false; // a late or repeated pre-commit answer
            }
            if (!ok) {
                b.state = State.STOPPED; // the branch aborted alone: COMMIT would contradict it
                return false;
            }
            b.command = BranchCommand.COMMIT;
            b.preCommittedHere = true;
            b.attempt = 0;
            b.lossesInARow = 0;
            send(participant, out);
            return false;
        }
        if (phase != Phase.DECISION || b.command == BranchCommand.PRE_COMMIT) {
            return false;
        }
        if (!ok) {
            b.state = State.STOPPED;
            return false;
        }
        b.state = State.ACKNOWLEDGED;
        return isComplete();
    }

    /** The message of {@code phase} to {@code participant} got no answer: resend it after the backoff. */
    void onLost(String participant, Phase phase, Out out) {
        Branch b = branches.get(participant);
        if (b == null || b.state != State.SENT || phase != phaseOf(b.command)) {
            return;
        }
        b.lossesInARow++;
        b.state = State.BACKING_OFF;
        out.timer(TimerRequest.Kind.RESEND, participant, backoff(b.lossesInARow));
    }

    /** The message of {@code phase} was refused: stop sending to {@code participant}. */
    void onRefused(String participant, Phase phase) {
        Branch b = branches.get(participant);
        if (b != null && b.state != State.ACKNOWLEDGED && phase == phaseOf(b.command)) {
            b.state = State.STOPPED;
        }
    }

    void onResendDue(String participant, Out out) {
        Branch b = branches.get(participant);
        if (b != null && b.state == State.BACKING_OFF) {
            send(participant, out);
        }
    }

    boolean isComplete() {
        return branches.values().stream().allMatch(b -> b.state == State.ACKNOWLEDGED);
    }

    List<String> awaitingAck() {
        return branches.entrySet().stream().filter(e -> e.getValue().state != State.ACKNOWLEDGED)
                .map(Map.Entry::getKey).toList();
    }

    /** Participants that acknowledged a PRE_COMMIT sent in this phase (3PC commit after a takeover). */
    List<String> preCommitted() {
        return branches.entrySet().stream().filter(e -> e.getValue().preCommittedHere)
                .map(Map.Entry::getKey).toList();
    }

    private void send(String participant, Out out) {
        Branch b = branches.get(participant);
        b.attempt++;
        b.state = State.SENT;
        out.send(new BranchRequest(participant, b.command, phaseOf(b.command),
                decision == Decision.ABORT ? reason : null, b.attempt));
    }

    private static Phase phaseOf(BranchCommand command) {
        return command == BranchCommand.PRE_COMMIT ? Phase.PRE_COMMIT : Phase.DECISION;
    }

    /** {@code resendInitial * 2^(n-1)}, capped at {@code resendMax}, times a factor in [0.8, 1.2]. */
    private long backoff(int lossesInARow) {
        return backoff(lossesInARow, timing, random);
    }

    /** The same backoff for any resend that is retried without limit (a saga's compensations too). */
    static long backoff(int lossesInARow, CoordinatorTiming timing, Random random) {
        long base = timing.resendInitial();
        for (int i = 1; i < lossesInARow && base < timing.resendMax(); i++) {
            base *= 2;
        }
        base = Math.min(base, timing.resendMax());
        double jitter = 1 + 0.2 * (2 * random.nextDouble() - 1);
        return Math.max(1, Math.round(base * jitter));
    }
}
