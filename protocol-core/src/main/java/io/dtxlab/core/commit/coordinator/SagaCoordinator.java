package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import io.dtxlab.core.commit.participant.BranchCommand;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * An orchestrated saga (Garcia-Molina and Salem, "Sagas", SIGMOD 1987; run as Seata's and dtm's saga coordinators
 * run it): the participants are its steps, in the declared order, each a local transaction committed at once, each
 * with a compensation that undoes it.
 * <ol>
 * <li><b>Forward.</b> Start: log BEGIN with the steps in order. BEGIN durable: APPLY to the first step, and its STEP
 * timer. Each step's acknowledgement sends APPLY to the next. The last one's: log the DECISION COMMIT; once it is
 * the decision that counts, log END and answer COMMIT. The answer waits for the log because, until then, a new leader
 * that lost a step's answer could still log ABORT and compensate every step.</li>
 * <li><b>Backward.</b> A step that refuses, is lost, is refused, or whose timer fires: log the DECISION ABORT with
 * the reason. Once the decision that counts is durable, COMPENSATE goes to the steps that may have applied, last
 * first, one at a time: a refused step did nothing and is skipped; a lost one may have applied and is compensated.
 * A lost compensation is resent after the phase-2 backoff, without limit: the saga stays in
 * {@link Phase#COMPENSATION} ("compensating") until each succeeds. A refused one (a newer epoch fences this
 * coordinator) stops it here: the newer leader finishes. The last acknowledgement: log END, answer ABORT.</li>
 * <li><b>Takeover.</b> With a logged COMMIT: log END (confirm the locked steps first, see below). With a logged ABORT:
 * compensate every step, last first; the steps that never applied get empty compensations, so a step still in flight
 * from the old leader is refused when it arrives. With no decision: forward again from the first step; APPLY (and
 * TRY) is idempotent, so a step already applied acknowledges again without applying twice.</li>
 * </ol>
 * Persist before send: APPLY leaves only once BEGIN is durable, COMPENSATE only once the ABORT is. No isolation: what
 * a step applied is visible to every other transaction until its compensation undoes it. Failure-free a saga costs 2n
 * messages; one that fails at step k costs 2k forward and 2(k-1) for the compensations (2k if step k was lost).
 * <p>
 * <b>Semantic locks</b> (Richardson, "Microservices Patterns", 2018, ch. 4: a countermeasure for the missing
 * isolation). A step named in {@code semanticLocks} does not apply at once: it sends TRY, which holds its effect as
 * a reservation that every other transaction sees as pending. Once COMMIT is durable each locked step gets CONFIRM
 * (resent with backoff until acknowledged); END and the answer follow the last acknowledgement, as 2PC's answer
 * follows its phase 2. Going back, a locked step gets CANCEL instead of COMPENSATE. A TRY answered BUSY (what it
 * needs is held only by other transactions' pending effects) is tried again with backoff, each attempt with its own
 * step timeout, for {@link CoordinatorTiming#lockWait()}; the attempt in flight when that runs out still decides.
 * Each locked step costs 2 more messages: 2n + 2l failure-free, with l locked steps, plus 2 per busy answer.
 */
final class SagaCoordinator implements TransactionCoordinator {

    private final String xid;
    private final List<String> steps;
    /** The steps that take a semantic lock: TRY, then CONFIRM or CANCEL. */
    private final Set<String> locked;
    private final CoordinatorTiming timing;
    private final Random random;
    private final RecoveredTransaction recovered;
    /** Each step's answer going forward (YES: applied, NO: refused or lost, with why). */
    private final Map<String, CommitRound.Ballot> results = new LinkedHashMap<>();
    private Phase phase = Phase.STEP;
    private boolean started;
    /** BEGIN durable (or found in the log): APPLY may go out. */
    private boolean forward;
    /** The step whose answer is awaited going forward; -1 before the first. */
    private int current = -1;
    private boolean proposed;
    /** The highest step that may have applied, when this coordinator decided to go back. */
    private int compensateFrom = -1;
    private Decision decision;
    private String reason;
    /** Going backward: the step being compensated now; -1 when none is left. */
    private int compensating = -1;
    private int attempt;
    private int lossesInARow;
    private boolean stopped;
    private boolean ended;
    /** Going forward: how many times the current step was sent. */
    private int stepAttempt;
    /** Going forward: the current step's STEP timers not fired yet; only the latest attempt's counts. */
    private int stepTimers;
    /** The current step answered BUSY: a RESEND timer will send it again. */
    private boolean backingOff;
    private int busyInARow;
    private boolean lockWaitArmed;
    /** The current step has waited {@link CoordinatorTiming#lockWait()} for semantic locks: the next BUSY fails it. */
    private boolean lockWaitOver;
    /** After COMMIT: the locked steps whose CONFIRM is not acknowledged yet, with their losses in a row. */
    private final Map<String, Integer> confirming = new LinkedHashMap<>();
    private final Map<String, Integer> confirmAttempts = new HashMap<>();

    SagaCoordinator(String xid, List<String> steps, Set<String> semanticLocks, CoordinatorTiming timing, Random random,
            RecoveredTransaction recovered) {
        this.xid = Objects.requireNonNull(xid, "xid");
        this.steps = List.copyOf(steps);
        if (this.steps.isEmpty()) {
            throw new IllegalArgumentException("a saga needs at least one step");
        }
        if (new LinkedHashSet<>(this.steps).size() != this.steps.size()) {
            throw new IllegalArgumentException("steps must be distinct participants: " + steps);
        }
        this.locked = Set.copyOf(semanticLocks);
        this.timing = Objects.requireNonNull(timing, "timing");
        this.random = Objects.requireNonNull(random, "random");
        this.recovered = recovered;
    }

    @Override
    public String xid() {
        return xid;
    }

    @Override
    public CommitProtocol protocol() {
        return CommitProtocol.SAGA;
    }

    @Override
    public CoordinatorReady step(CoordinatorInput input) {
        Objects.requireNonNull(input, "input");
        if (ended) {
            return CoordinatorReady.empty();
        }
        Out out = new Out();
        if (input instanceof CoordinatorInput.Start) {
            start(out);
        } else if (input instanceof CoordinatorInput.Logged logged) {
            logged(logged.record(), out);
        } else if (input instanceof CoordinatorInput.Acknowledged ack) {
            acknowledged(ack, out);
        } else if (input instanceof CoordinatorInput.Voted voted && voted.vote() == Vote.NO) {
            // an edge may report a refused step as a NO vote
            stepFailed(voted.participant(), true, voted.participant() + " refused its step"
                    + (voted.reason() == null ? "" : ": " + voted.reason()), out);
        } else if (input instanceof CoordinatorInput.Busy busy) {
            busy(busy, out);
        } else if (input instanceof CoordinatorInput.Lost lost) {
            unanswered(lost.participant(), lost.phase(), lost.why(), false, out);
        } else if (input instanceof CoordinatorInput.Refused refused) {
            unanswered(refused.participant(), refused.phase(), refused.why(), true, out);
        } else if (input instanceof CoordinatorInput.TimerFired timer) {
            timerFired(timer, out);
        }
        return out.ready();
    }

    private void start(Out out) {
        if (started) {
            return;
        }
        started = true;
        if (recovered == null) {
            out.log(new LogRecord.Begin(xid, CommitProtocol.SAGA, steps, locked));
        } else if (recovered.decision() != null) {
            adopt(recovered.decision(), recovered.reason(), out);
        } else {
            forward = true;
            compensateFrom = steps.size() - 1; // the old leader may have got anywhere
            apply(0, out);
        }
    }

    private void logged(LogRecord record, Out out) {
        if (record == null || !xid.equals(record.xid())) {
            return;
        }
        if (record instanceof LogRecord.Begin && recovered == null && !forward && !decided()) {
            forward = true;
            apply(0, out);
        } else if (record instanceof LogRecord.DecisionRecord d) {
            adopt(d.decision(), d.reason(), out);
        }
    }

    private void apply(int index, Out out) {
        current = index;
        phase = Phase.STEP;
        stepAttempt = 0;
        stepTimers = 0;
        busyInARow = 0;
        lockWaitArmed = false;
        lockWaitOver = false;
        sendStep(out);
    }

    private void sendStep(Out out) {
        String step = steps.get(current);
        stepAttempt++;
        backingOff = false;
        BranchCommand command = locked.contains(step) ? BranchCommand.TRY : BranchCommand.APPLY;
        out.send(new BranchRequest(step, command, Phase.STEP, null, stepAttempt));
        stepTimers++;
        out.timer(TimerRequest.Kind.STEP, step, timing.voteTimeout());
    }

    /** The current locking step is held up by other transactions' semantic locks: try again later, for a while. */
    private void busy(CoordinatorInput.Busy busy, Out out) {
        String participant = busy.participant();
        if (busy.phase() != Phase.STEP || !isCurrentStep(participant) || backingOff
                || busy.attempt() < stepAttempt) {
            return; // late, duplicate, an earlier attempt's, or already waiting to try again
        }
        if (lockWaitOver) {
            stepFailed(participant, false, participant + "'s step waited " + timing.lockWait()
                    + " ms for semantic locks held by unfinished transactions"
                    + (busy.reason() == null ? "" : ": " + busy.reason()), out);
            return;
        }
        if (!lockWaitArmed) {
            lockWaitArmed = true;
            out.timer(TimerRequest.Kind.LOCK_WAIT, participant, timing.lockWait());
        }
        backingOff = true;
        busyInARow++;
        out.timer(TimerRequest.Kind.RESEND, participant, DecisionDelivery.backoff(busyInARow, timing, random));
    }

    private void acknowledged(CoordinatorInput.Acknowledged ack, Out out) {
        if (ack.phase() == Phase.STEP) {
            if (!ack.ok()) {
                stepFailed(ack.participant(), true, ack.participant() + " refused its step"
                        + (ack.reason() == null ? "" : ": " + ack.reason()), out);
            } else if (isCurrentStep(ack.participant())) {
                results.put(ack.participant(), new CommitRound.Ballot(ack.participant(), Vote.YES, null));
                if (current + 1 < steps.size()) {
                    apply(current + 1, out);
                } else {
                    current = -1;
                    propose(Decision.COMMIT, null, out);
                }
            }
        } else if (ack.phase() == Phase.DECISION && confirming.containsKey(ack.participant())) {
            confirming.remove(ack.participant());
            if (confirming.isEmpty() && !stopped) {
                finish(out);
            }
        } else if (ack.phase() == Phase.COMPENSATION && isCompensating(ack.participant())) {
            if (ack.ok()) {
                compensateNext(compensating - 1, out);
            } else {
                lost(out); // a compensation may fail, never refuse: try again
            }
        }
    }

    private void unanswered(String participant, Phase phase, String why, boolean refused, Out out) {
        if (phase == Phase.STEP) {
            stepFailed(participant, false, participant + "'s step " + (refused ? "was refused" : "got no answer")
                    + (why == null ? "" : ": " + why), out);
        } else if (phase == Phase.COMPENSATION && isCompensating(participant)) {
            if (refused) {
                stopped = true; // fenced by a newer epoch, or a branch that is no saga step: resending would not help
            } else {
                lost(out);
            }
        } else if (phase == Phase.DECISION && confirming.containsKey(participant)) {
            if (refused) {
                stopped = true;
            } else {
                int losses = confirming.merge(participant, 1, Integer::sum);
                out.timer(TimerRequest.Kind.RESEND, participant, DecisionDelivery.backoff(losses, timing, random));
            }
        }
    }

    private void timerFired(CoordinatorInput.TimerFired timer, Out out) {
        String participant = timer.participant();
        if (timer.kind() == TimerRequest.Kind.STEP) {
            if (!isCurrentStep(participant) || --stepTimers > 0 || backingOff) {
                return; // an earlier attempt's timer, or the latest attempt was answered (busy)
            }
            stepFailed(participant, false, participant + "'s step got no answer within the step timeout ("
                    + timing.voteTimeout() + " ms)", out);
        } else if (timer.kind() == TimerRequest.Kind.LOCK_WAIT && isCurrentStep(participant)) {
            if (backingOff) {
                stepFailed(participant, false, participant + "'s step waited " + timing.lockWait()
                        + " ms for semantic locks held by unfinished transactions", out);
            } else {
                lockWaitOver = true; // the attempt in flight decides
            }
        } else if (timer.kind() == TimerRequest.Kind.RESEND && !stopped) {
            if (isCurrentStep(participant) && backingOff) {
                sendStep(out);
            } else if (isCompensating(participant)) {
                sendCompensation(out);
            } else if (confirming.containsKey(participant)) {
                sendConfirm(participant, out);
            }
        }
    }

    /**
     * The awaited step failed. A refusal ({@code refused} true: the step said NO) did nothing; any other failure may
     * have applied it, so it is compensated too.
     */
    private void stepFailed(String participant, boolean refused, String why, Out out) {
        if (!isCurrentStep(participant)) {
            return; // late, duplicate, or not the step awaited
        }
        results.put(participant, new CommitRound.Ballot(participant, Vote.NO, why));
        compensateFrom = Math.max(compensateFrom, refused ? current - 1 : current);
        current = -1;
        propose(Decision.ABORT, why, out);
    }

    private void propose(Decision d, String why, Out out) {
        if (decided()) {
            return;
        }
        proposed = true;
        out.log(new LogRecord.DecisionRecord(xid, d, why, resultsForLog()));
    }

    /** The decision that counts is durable: complete, or go back. */
    private void adopt(Decision d, String why, Out out) {
        if (decision != null || d == null) {
            return;
        }
        decision = d;
        reason = why;
        current = -1;
        if (d == Decision.COMMIT) {
            if (locked.isEmpty()) {
                phase = Phase.STEP;
                finish(out);
                return;
            }
            phase = Phase.DECISION;
            for (String step : steps) {
                if (locked.contains(step)) {
                    confirming.put(step, 0);
                    sendConfirm(step, out);
                }
            }
            return;
        }
        phase = Phase.COMPENSATION;
        // our own ABORT knows how far the steps got; one that someone else logged (a takeover) may have got anywhere
        int from = proposed && recovered == null ? compensateFrom : steps.size() - 1;
        compensateNext(from, out);
    }

    private void compensateNext(int index, Out out) {
        compensating = index;
        attempt = 0;
        lossesInARow = 0;
        if (index < 0) {
            finish(out);
        } else {
            sendCompensation(out);
        }
    }

    private void sendCompensation(Out out) {
        attempt++;
        String step = steps.get(compensating);
        BranchCommand command = locked.contains(step) ? BranchCommand.CANCEL : BranchCommand.COMPENSATE;
        out.send(new BranchRequest(step, command, Phase.COMPENSATION, reason, attempt));
    }

    private void sendConfirm(String step, Out out) {
        out.send(new BranchRequest(step, BranchCommand.CONFIRM, Phase.DECISION, null,
                confirmAttempts.merge(step, 1, Integer::sum)));
    }

    private void lost(Out out) {
        lossesInARow++;
        out.timer(TimerRequest.Kind.RESEND, steps.get(compensating),
                DecisionDelivery.backoff(lossesInARow, timing, random));
    }

    private void finish(Out out) {
        ended = true;
        compensating = -1;
        out.log(new LogRecord.End(xid));
        out.answer(new Outcome(decision.name(), decision == Decision.ABORT ? "compensated: " + reason : null));
    }

    private boolean decided() {
        return proposed || decision != null;
    }

    private boolean isCurrentStep(String participant) {
        return forward && !decided() && current >= 0 && steps.get(current).equals(participant);
    }

    private boolean isCompensating(String participant) {
        return compensating >= 0 && steps.get(compensating).equals(participant);
    }

    private Map<String, String> resultsForLog() {
        Map<String, String> logged = new LinkedHashMap<>();
        for (String p : steps) {
            CommitRound.Ballot b = results.get(p);
            logged.put(p, b == null ? "none" : b.vote() + (b.reason() == null ? "" : ": " + b.reason()));
        }
        return logged;
    }

    @Override
    public CoordinatorStatus status() {
        List<String> awaiting = new ArrayList<>(confirming.keySet());
        if (compensating >= 0) {
            for (int i = compensating; i >= 0; i--) {
                awaiting.add(steps.get(i));
            }
        }
        return new CoordinatorStatus(xid, CommitProtocol.SAGA, phase,
                Collections.unmodifiableMap(new LinkedHashMap<>(results)), List.of(), decision,
                decision == null ? null : reason, awaiting, ended, null);
    }
}
