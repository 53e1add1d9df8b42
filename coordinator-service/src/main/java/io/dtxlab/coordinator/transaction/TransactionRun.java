package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.log.BranchSpec;
import io.dtxlab.coordinator.log.LoggedTransaction;
import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import io.dtxlab.core.commit.coordinator.ApplyRound;
import io.dtxlab.core.commit.coordinator.CommitRound;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One transaction in the coordinator's memory: the pure {@link CommitRound}s plus what users see (timeline, times).
 * 2PC has one round (prepare votes). 3PC has two: can-commit votes, then pre-commit acknowledgements, each decided
 * the same way (all YES goes on, any NO or silence aborts). NONE has no decision, only an {@link ApplyRound}: the
 * apply answers and the outcome they add up to (COMMIT, ABORT or PARTIAL); it is never logged, so this is its only
 * record. Callbacks from several send threads arrive here, so every method is synchronized.
 */
final class TransactionRun {

    private final String xid;
    private final CommitProtocol protocol;
    private final List<BranchSpec> branches;
    private final String coordinator;
    private final long epoch;
    private final Clock clock;
    private final Instant begunAt;
    private final List<String> participants;
    private final CommitRound votes;
    private CommitRound preCommits;
    /** NONE only: the apply answers; null for 2PC and 3PC. */
    private final ApplyRound applies;
    private final CompletableFuture<ApplyRound.Outcome> appliesSettled = new CompletableFuture<>();
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final CompletableFuture<Decision> votesSettled = new CompletableFuture<>();
    private final CompletableFuture<Decision> preCommitsSettled = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private Instant decidedAt;
    private Instant endedAt;
    private boolean decisionDurable;
    private boolean firstAck;
    private int messages;
    private int consensusMessages;

    TransactionRun(String xid, CommitProtocol protocol, List<BranchSpec> branches, String coordinator, long epoch,
            Clock clock) {
        this(xid, protocol, branches, coordinator, epoch, clock, null);
    }

    private TransactionRun(String xid, CommitProtocol protocol, List<BranchSpec> branches, String coordinator,
            long epoch, Clock clock, CommitRound decided) {
        this.xid = xid;
        this.protocol = protocol;
        this.branches = List.copyOf(branches);
        this.coordinator = coordinator;
        this.epoch = epoch;
        this.clock = clock;
        this.begunAt = clock.instant();
        this.participants = branches.stream().map(BranchSpec::participant).toList();
        this.votes = decided != null ? decided : new CommitRound(xid, participants);
        this.applies = protocol == CommitProtocol.NONE ? new ApplyRound(xid, participants) : null;
    }

    /**
     * A transaction a restarted or newly elected leader finds unfinished in the log, with the decision it
     * must finish: the logged one, or the one recovery takes now (presumed abort for 2PC, the termination rule for
     * 3PC). It carries the new epoch.
     */
    static TransactionRun recovered(LoggedTransaction logged, Decision decision, String reason, String coordinator,
            long epoch, Clock clock) {
        List<String> participants = logged.branches().stream().map(BranchSpec::participant).toList();
        TransactionRun run = new TransactionRun(logged.xid(), CommitProtocol.parse(logged.protocol()),
                logged.branches(), coordinator, epoch, clock,
                CommitRound.decided(logged.xid(), participants, decision, reason));
        run.log("recovered from the log by " + coordinator + " (epoch " + epoch + ")",
                logged.decision() == null ? "no decision was logged" : "decision " + logged.decision() + " was logged");
        if (logged.decision() != null) {
            run.decisionDurable = true;
            run.decidedAt = logged.decidedAt();
        }
        run.votesSettled.complete(decision);
        return run;
    }

    String xid() {
        return xid;
    }

    CommitProtocol protocol() {
        return protocol;
    }

    List<BranchSpec> branches() {
        return branches;
    }

    long epoch() {
        return epoch;
    }

    String coordinator() {
        return coordinator;
    }

    Instant begunAt() {
        return begunAt;
    }

    CompletableFuture<Decision> votesSettled() {
        return votesSettled;
    }

    CompletableFuture<Decision> preCommitsSettled() {
        return preCommitsSettled;
    }

    CompletableFuture<Void> ended() {
        return ended;
    }

    CompletableFuture<ApplyRound.Outcome> appliesSettled() {
        return appliesSettled;
    }

    LoggedTransaction begin() {
        return new LoggedTransaction(xid, protocol.label(), coordinator, epoch, branches, begunAt, null, null,
                Map.of(), null, null, null);
    }

    synchronized void sent(String what, String to, String detail) {
        messages++;
        timeline.add(entry("message", coordinator, to, what, detail));
    }

    synchronized void received(String what, String from, String detail) {
        messages++;
        timeline.add(entry("message", from, coordinator, what, detail));
    }

    /** A message that got no answer: only the request counts. */
    synchronized void unanswered(String what, String to, String detail) {
        timeline.add(entry("lost", coordinator, to, "no " + what, detail));
    }

    synchronized void log(String what, String detail) {
        timeline.add(entry("log", coordinator, coordinator, what, detail));
    }

    /** A record made durable: in the local log, or chosen through Paxos at the cost of consensus messages. */
    synchronized void logged(String what, io.dtxlab.coordinator.log.LogReceipt receipt, String detail) {
        consensusMessages += receipt.consensusMessages();
        timeline.add(entry("log", coordinator, coordinator, what,
                (detail == null ? "" : detail + "; ") + receipt.describe()));
    }

    // phase 1: prepare (2PC) or can-commit (3PC)

    synchronized void onVote(String participant, Vote vote, String reason) {
        votes.onVote(participant, vote, reason).ifPresent(votesSettled::complete);
    }

    synchronized void onNoVote(String participant, String reason) {
        votes.onNoVote(participant, reason).ifPresent(votesSettled::complete);
    }

    synchronized Decision onVoteTimeout(Duration timeout) {
        votes.onTimeout("the " + (protocol == CommitProtocol.TWO_PHASE ? "prepare" : "can-commit") + " timeout ("
                + timeout.toMillis() + " ms)").ifPresent(votesSettled::complete);
        return votes.decision().orElseThrow();
    }

    // 3PC phase 2: pre-commit

    synchronized void startPreCommit() {
        preCommits = new CommitRound(xid, participants);
    }

    synchronized void onPreCommitAck(String participant, boolean ok, String reason) {
        preCommits.onVote(participant, ok ? Vote.YES : Vote.NO, reason).ifPresent(preCommitsSettled::complete);
    }

    synchronized void onPreCommitLost(String participant, String reason) {
        preCommits.onNoVote(participant, reason).ifPresent(preCommitsSettled::complete);
    }

    synchronized Decision onPreCommitTimeout(Duration timeout) {
        preCommits.onTimeout("the pre-commit timeout (" + timeout.toMillis() + " ms)")
                .ifPresent(preCommitsSettled::complete);
        return preCommits.decision().orElseThrow();
    }

    // NONE: apply, no decision

    synchronized void onApplied(String participant) {
        applies.onApplied(participant).ifPresent(appliesSettled::complete);
    }

    synchronized void onRefused(String participant, String reason) {
        applies.onRefused(participant, reason).ifPresent(appliesSettled::complete);
    }

    synchronized void onApplyLost(String participant, String reason) {
        applies.onLost(participant, reason).ifPresent(appliesSettled::complete);
    }

    synchronized ApplyRound.Outcome onApplyTimeout(Duration timeout) {
        applies.onTimeout("the apply timeout (" + timeout.toMillis() + " ms)").ifPresent(appliesSettled::complete);
        return applies.outcome().orElseThrow();
    }

    /** NONE: every answer is in (or the timeout fired); nothing is logged, nothing follows. */
    synchronized void appliesEnded() {
        decidedAt = clock.instant();
        endedAt = decidedAt;
        ended.complete(null);
    }

    /**
     * The transaction's outcome as metrics and users name it: the durable decision (COMMIT, ABORT), or for NONE the
     * apply outcome (COMMIT, ABORT, PARTIAL); empty while neither is known.
     */
    synchronized Optional<String> outcome() {
        if (applies != null) {
            return applies.outcome().map(Enum::name);
        }
        return decisionDurable ? decision().map(Enum::name) : Optional.empty();
    }

    /** The round whose outcome is the transaction's: the pre-commit round once 3PC got that far. */
    private CommitRound deciding() {
        return preCommits != null && votes.decision().orElse(null) == Decision.COMMIT ? preCommits : votes;
    }

    synchronized Optional<Decision> decision() {
        return deciding().decision();
    }

    synchronized String reason() {
        return deciding().reason();
    }

    synchronized void decisionDurable(io.dtxlab.coordinator.log.LogReceipt receipt) {
        decisionDurable = true;
        decidedAt = clock.instant();
        logged("DECISION " + decision().orElseThrow() + " logged", receipt, reason());
    }

    synchronized boolean isDecisionDurable() {
        return decisionDurable;
    }

    /** Records an acknowledgement of the decision; true when it is the first. */
    synchronized boolean onAck(String participant) {
        deciding().onAck(participant);
        boolean first = !firstAck;
        firstAck = true;
        return first;
    }

    synchronized boolean allAcknowledged() {
        return deciding().isEnded();
    }

    synchronized List<String> awaitingAck() {
        return deciding().awaitingAck();
    }

    synchronized void endDurable(io.dtxlab.coordinator.log.LogReceipt receipt) {
        endedAt = clock.instant();
        logged("END logged", receipt, "every participant acknowledged");
        ended.complete(null);
    }

    synchronized Map<String, String> votesForLog() {
        Map<String, String> logged = new LinkedHashMap<>();
        for (String p : participants) {
            CommitRound.Ballot b = votes.votes().get(p);
            logged.put(p, b == null ? "none" : b.vote() + (b.reason() == null ? "" : ": " + b.reason()));
        }
        return logged;
    }

    synchronized TransactionView view() {
        if (applies != null) {
            return applyView();
        }
        Optional<Decision> decision = decisionDurable ? decision() : Optional.empty();
        String state = endedAt != null ? "ENDED" : decisionDurable ? "DECIDED" : "BEGUN";
        List<String> awaiting = decisionDurable ? deciding().awaitingAck() : participants;
        List<TransactionView.ParticipantView> views = participants.stream().map(p -> {
            CommitRound.Ballot b = votes.votes().get(p);
            CommitRound.Ballot pre = preCommits == null ? null : preCommits.votes().get(p);
            return new TransactionView.ParticipantView(p, b == null ? null : b.vote().name(),
                    b == null ? null : b.reason(), pre == null ? null : pre.vote() == Vote.YES, !awaiting.contains(p),
                    null);
        }).toList();
        Instant end = endedAt != null ? endedAt : clock.instant();
        return new TransactionView(xid, protocol.label(), state, decision.map(Enum::name).orElse(null),
                decision.isPresent() ? reason() : null, coordinator, epoch, begunAt, decidedAt, endedAt,
                Duration.between(begunAt, end).toMillis(), views, decisionDurable ? awaiting : List.of(),
                messages, consensusMessages, List.copyOf(timeline));
    }

    /** NONE: no vote, no decision, no acknowledgement; each participant applied its part, or did not. */
    private TransactionView applyView() {
        Optional<ApplyRound.Outcome> outcome = applies.outcome();
        String state = endedAt != null ? "ENDED" : "BEGUN";
        List<TransactionView.ParticipantView> views = participants.stream().map(p -> {
            ApplyRound.Answer a = applies.answers().get(p);
            return new TransactionView.ParticipantView(p, null, a == null ? null : a.reason(), null,
                    a != null && a.answered(), a == null ? null : a.applied());
        }).toList();
        Instant end = endedAt != null ? endedAt : clock.instant();
        return new TransactionView(xid, protocol.label(), state, outcome.map(Enum::name).orElse(null),
                outcome.isPresent() ? applies.reason() : null, coordinator, epoch, begunAt, decidedAt, endedAt,
                Duration.between(begunAt, end).toMillis(), views, List.of(), messages, consensusMessages,
                List.copyOf(timeline));
    }

    /** How long the last phase took, from the durable decision to the last acknowledgement (once ended). */
    synchronized Optional<Duration> lastPhase() {
        return decidedAt == null || endedAt == null ? Optional.empty() : Optional.of(Duration.between(decidedAt, endedAt));
    }

    synchronized int messages() {
        return messages;
    }

    synchronized int consensusMessages() {
        return consensusMessages;
    }

    private TimelineEntry entry(String type, String from, String to, String what, String detail) {
        Instant now = clock.instant();
        return new TimelineEntry(now, Duration.between(begunAt, now).toMillis(), type, from, to, what, detail);
    }
}
