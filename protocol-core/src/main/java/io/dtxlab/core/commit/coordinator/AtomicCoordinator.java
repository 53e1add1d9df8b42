package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchState;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * What 2PC and 3PC share, presuming abort: BEGIN logged (3PC: before phase 1 leaves; 2PC: while it is out, see
 * {@link #votesWhileBeginIsLogged}); the votes in a {@link CommitRound};
 * one decision proposed to the log, and the one the log says counts (the first logged) delivered by a
 * {@link DecisionDelivery} until every participant acknowledges; then END logged and the client answered.
 * Subclasses add what their protocol has between the votes and the decision (3PC: pre-commit) and what a takeover
 * without a decision does (2PC: presumed abort; 3PC: the termination rule).
 * <p>
 * Persist before send: every message that depends on a record leaves in the step that gets the record back as
 * {@link CoordinatorInput.Logged}, never in the step that asks to log it.
 */
abstract class AtomicCoordinator implements TransactionCoordinator {

    protected final String xid;
    protected final CommitProtocol protocol;
    protected final List<String> participants;
    protected final CoordinatorTiming timing;
    private final Random random;
    /** The log as a takeover found it; null for a fresh transaction. */
    protected final RecoveredTransaction recovered;
    /** Phase 1: prepare (2PC) or can-commit (3PC) votes. */
    protected final CommitRound votes;
    protected Phase phase;
    private boolean started;
    /** Phase 1 went out. */
    private boolean voting;
    /** BEGIN came back logged. */
    private boolean beginLogged;
    /** Phase 1 settled before BEGIN was logged (2PC): the decision waits for BEGIN. */
    private Decision settledBeforeBegin;
    /** A decision was handed to the log (it may not be the one that counts). */
    private boolean proposed;
    /** The decision that counts, once durable. */
    protected Decision decision;
    protected String reason;
    private DecisionDelivery delivery;
    private boolean ended;

    AtomicCoordinator(String xid, CommitProtocol protocol, List<String> participants, CoordinatorTiming timing,
            Random random, RecoveredTransaction recovered) {
        this.xid = Objects.requireNonNull(xid, "xid");
        this.protocol = protocol;
        this.participants = List.copyOf(participants);
        this.timing = Objects.requireNonNull(timing, "timing");
        this.random = Objects.requireNonNull(random, "random");
        this.recovered = recovered;
        this.votes = new CommitRound(xid, this.participants); // checks: not empty, distinct
        this.phase = recovered == null ? Phase.VOTE : Phase.DECISION;
    }

    @Override
    public String xid() {
        return xid;
    }

    @Override
    public CommitProtocol protocol() {
        return protocol;
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
        } else if (input instanceof CoordinatorInput.Voted voted) {
            if (isParticipant(voted.participant()) && acceptsVotes() && voted.vote() != null) {
                votes.onVote(voted.participant(), voted.vote(), voted.reason()).ifPresent(d -> settled(d, out));
            }
        } else if (input instanceof CoordinatorInput.Acknowledged ack) {
            acknowledged(ack, out);
        } else if (input instanceof CoordinatorInput.Lost lost) {
            unanswered(lost.participant(), lost.phase(), lost.why(), false, out);
        } else if (input instanceof CoordinatorInput.Refused refused) {
            unanswered(refused.participant(), refused.phase(), refused.why(), true, out);
        } else if (input instanceof CoordinatorInput.TimerFired timer) {
            timerFired(timer, out);
        } else if (input instanceof CoordinatorInput.BranchStateLearned learned) {
            if (isParticipant(learned.participant())) {
                stateLearned(learned.participant(), learned.state(), out);
            }
        }
        return out.ready();
    }

    // what each protocol adds

    /** PREPARE (2PC) or CAN_COMMIT (3PC). */
    abstract BranchCommand voteCommand();

    /** The decision's messages: COMMIT and ABORT (TCC: CONFIRM and CANCEL). */
    BranchCommand commitCommand() {
        return BranchCommand.COMMIT;
    }

    BranchCommand abortCommand() {
        return BranchCommand.ABORT;
    }

    /** How the vote timeout is named in reasons: "prepare", "can-commit" or "try". */
    abstract String voteName();

    /**
     * Whether phase 1 leaves in the step that asks to log BEGIN instead of once BEGIN is logged. Under presumed abort
     * a prepare needs no record behind it: a participant that voted and hears nothing asks, and a coordinator that
     * knows no decision answers abort, whether or not BEGIN was ever logged (Mohan, Lindsay and Obermarck, 1986: no
     * record is forced before the prepares). So 2PC overlaps BEGIN's consensus round with phase 1, and only the
     * decision waits for BEGIN, so that a takeover that finds a transaction's decision finds its participants too.
     * 3PC keeps BEGIN first: its termination rule reads the log for whom to ask.
     */
    boolean votesWhileBeginIsLogged() {
        return false;
    }

    /** Phase 1 settled with {@code decided}: propose the decision, or (3PC, all YES) go on to pre-commit. */
    abstract void votesSettled(Decision decided, Out out);

    /** Start of a takeover whose log holds no decision. */
    abstract void recoveredWithoutDecision(Out out);

    /** Participants that must get PRE_COMMIT before COMMIT (3PC); empty for 2PC. */
    Set<String> preCommitFirst() {
        return Set.of();
    }

    void preCommitLogged(Out out) {
    }

    /** An answer to the pre-commit phase before any decision is durable (3PC). */
    void preCommitAnswered(String participant, boolean ok, String why, boolean answered, Out out) {
    }

    void preCommitTimedOut(Out out) {
    }

    /** A state request's answer (3PC termination); {@code state} null: no answer. */
    void stateLearned(String participant, BranchState state, Out out) {
    }

    void askAgain(Out out) {
    }

    List<String> preCommittedForStatus() {
        return List.of();
    }

    // shared steps

    private void start(Out out) {
        if (started) {
            return;
        }
        started = true;
        if (recovered == null) {
            out.log(new LogRecord.Begin(xid, protocol, participants));
            if (votesWhileBeginIsLogged()) {
                vote(out);
            }
        } else if (recovered.decision() != null) {
            adopt(recovered.decision(), recovered.reason(), out);
        } else {
            recoveredWithoutDecision(out);
        }
    }

    private void logged(LogRecord record, Out out) {
        if (record == null || !xid.equals(record.xid())) {
            return;
        }
        if (record instanceof LogRecord.Begin) {
            if (recovered == null && started && !beginLogged) {
                beginLogged = true;
                if (!voting && !decided()) {
                    vote(out);
                } else if (settledBeforeBegin != null) {
                    Decision d = settledBeforeBegin;
                    settledBeforeBegin = null;
                    votesSettled(d, out);
                }
            }
        } else if (record instanceof LogRecord.PreCommit) {
            if (!decided()) {
                preCommitLogged(out);
            }
        } else if (record instanceof LogRecord.DecisionRecord d) {
            adopt(d.decision(), d.reason(), out);
        }
        // END only lets the log forget: nothing waits for it
    }

    /** Phase 1: the vote request to every participant, and the VOTES timer. */
    private void vote(Out out) {
        voting = true;
        for (String p : participants) {
            out.send(new BranchRequest(p, voteCommand(), Phase.VOTE, null, 1));
        }
        out.timer(TimerRequest.Kind.VOTES, null, timing.voteTimeout());
    }

    /** Phase 1 settled: on to the decision, once BEGIN is logged. */
    private void settled(Decision d, Out out) {
        if (!beginLogged) {
            settledBeforeBegin = d;
            return;
        }
        votesSettled(d, out);
    }

    private void acknowledged(CoordinatorInput.Acknowledged ack, Out out) {
        String p = ack.participant();
        if (!isParticipant(p) || ack.phase() == null) {
            return;
        }
        if (delivery != null) {
            if (delivery.onAcknowledged(p, ack.phase(), ack.ok(), out)) {
                finish(out);
            }
        } else if (ack.phase() == Phase.PRE_COMMIT) {
            preCommitAnswered(p, ack.ok(), ack.reason(), true, out);
        }
    }

    /** A message got no answer ({@code refused} false) or was refused outright. */
    private void unanswered(String p, Phase phase, String why, boolean refused, Out out) {
        if (!isParticipant(p) || phase == null) {
            return;
        }
        switch (phase) {
            case VOTE:
                if (acceptsVotes()) {
                    votes.onNoVote(p, why).ifPresent(d -> settled(d, out));
                }
                break;
            case PRE_COMMIT:
            case DECISION:
                if (delivery != null) {
                    if (refused) {
                        delivery.onRefused(p, phase);
                    } else {
                        delivery.onLost(p, phase, out);
                    }
                } else if (phase == Phase.PRE_COMMIT) {
                    preCommitAnswered(p, false, why, false, out);
                }
                break;
            case TERMINATION:
                stateLearned(p, null, out);
                break;
            default:
                break;
        }
    }

    private void timerFired(CoordinatorInput.TimerFired timer, Out out) {
        if (timer.kind() == null) {
            return;
        }
        switch (timer.kind()) {
            case VOTES:
                if (acceptsVotes()) {
                    votes.onTimeout("the " + voteName() + " timeout (" + timing.voteTimeout() + " ms)")
                            .ifPresent(d -> settled(d, out));
                }
                break;
            case PRE_COMMIT_ACKS:
                if (!decided()) {
                    preCommitTimedOut(out);
                }
                break;
            case RESEND:
                if (delivery != null && timer.participant() != null) {
                    delivery.onResendDue(timer.participant(), out);
                }
                break;
            case ASK_AGAIN:
                if (!decided()) {
                    askAgain(out);
                }
                break;
            default:
                break;
        }
    }

    /** Hands the decision to the log, once; it is sent only when the log gives back the one that counts. */
    final void propose(Decision d, String why, Out out) {
        if (decided()) {
            return;
        }
        proposed = true;
        out.log(new LogRecord.DecisionRecord(xid, d, why, votesForLog()));
    }

    /** The decision that counts is durable: deliver it to every participant. */
    private void adopt(Decision d, String why, Out out) {
        if (decision != null || d == null) {
            return; // the first durable decision counts; a repeat changes nothing
        }
        decision = d;
        reason = why;
        phase = Phase.DECISION;
        delivery = new DecisionDelivery(participants, d, d == Decision.COMMIT ? commitCommand() : abortCommand(), why,
                preCommitFirst(), timing, random);
        delivery.start(out);
    }

    private void finish(Out out) {
        ended = true;
        out.log(new LogRecord.End(xid));
        out.answer(new Outcome(decision.name(), reason));
    }

    /** A decision was proposed or adopted: nothing before the last phase matters any more. */
    final boolean decided() {
        return proposed || decision != null;
    }

    private boolean acceptsVotes() {
        return voting && !decided() && votes.decision().isEmpty();
    }

    final boolean isParticipant(String p) {
        return p != null && participants.contains(p);
    }

    /** The votes as users read them: participant to "YES", "NO: reason" or "none" (as a takeover found them). */
    final Map<String, String> votesForLog() {
        if (recovered != null) {
            return recovered.votes();
        }
        Map<String, String> logged = new LinkedHashMap<>();
        for (String p : participants) {
            CommitRound.Ballot b = votes.votes().get(p);
            logged.put(p, b == null ? "none" : b.vote() + (b.reason() == null ? "" : ": " + b.reason()));
        }
        return logged;
    }

    @Override
    public CoordinatorStatus status() {
        Map<String, CommitRound.Ballot> ballots = recovered == null ? votes.votes() : parse(recovered.votes());
        Set<String> preCommitted = new LinkedHashSet<>(preCommittedForStatus());
        if (delivery != null) {
            preCommitted.addAll(delivery.preCommitted());
        }
        return new CoordinatorStatus(xid, protocol, phase, Collections.unmodifiableMap(new LinkedHashMap<>(ballots)), List.copyOf(preCommitted), decision,
                decision == null ? null : reason, delivery == null ? List.of() : delivery.awaitingAck(), ended,
                null);
    }

    /** Logged vote texts back to ballots ("none" is no ballot). */
    private static Map<String, CommitRound.Ballot> parse(Map<String, String> logged) {
        Map<String, CommitRound.Ballot> ballots = new LinkedHashMap<>();
        logged.forEach((p, text) -> {
            if (text != null && text.startsWith("YES")) {
                ballots.put(p, new CommitRound.Ballot(p, Vote.YES, null));
            } else if (text != null && text.startsWith("NO")) {
                ballots.put(p, new CommitRound.Ballot(p, Vote.NO, text.startsWith("NO: ") ? text.substring(4) : null));
            }
        });
        return ballots;
    }
}
