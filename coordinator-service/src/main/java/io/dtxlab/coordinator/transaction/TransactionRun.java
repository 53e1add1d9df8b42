package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.log.BranchSpec;
import io.dtxlab.coordinator.log.LoggedTransaction;
import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
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
 * the same way (all YES goes on, any NO or silence aborts). Callbacks from several send threads arrive here, so
 * every method is synchronized.
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
    }

    /**
     * A transaction a restarted leader (or, in [D], a new one) finds unfinished in the log, with the decision it
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
        Optional<Decision> decision = decisionDurable ? decision() : Optional.empty();
        String state = endedAt != null ? "ENDED" : decisionDurable ? "DECIDED" : "BEGUN";
        List<String> awaiting = decisionDurable ? deciding().awaitingAck() : participants;
        List<TransactionView.ParticipantView> views = participants.stream().map(p -> {
            CommitRound.Ballot b = votes.votes().get(p);
            CommitRound.Ballot pre = preCommits == null ? null : preCommits.votes().get(p);
            return new TransactionView.ParticipantView(p, b == null ? null : b.vote().name(),
                    b == null ? null : b.reason(), pre == null ? null : pre.vote() == Vote.YES, !awaiting.contains(p));
        }).toList();
        Instant end = endedAt != null ? endedAt : clock.instant();
        return new TransactionView(xid, protocol.label(), state, decision.map(Enum::name).orElse(null),
                decision.isPresent() ? reason() : null, coordinator, epoch, begunAt, decidedAt, endedAt,
                Duration.between(begunAt, end).toMillis(), views, decisionDurable ? awaiting : List.of(),
                messages, consensusMessages, List.copyOf(timeline));
    }

    /** How long the last phase took, from the durable decision to the last acknowledgement (once ended). */
    synchronized Optional<Duration> lastPhase() {
        return decidedAt == null || endedAt == null ? Optional.empty() : Optional.of(Duration.between(decidedAt, endedAt));
    }

    synchronized int messages() {
        return messages;
    }

    private TimelineEntry entry(String type, String from, String to, String what, String detail) {
        Instant now = clock.instant();
        return new TimelineEntry(now, Duration.between(begunAt, now).toMillis(), type, from, to, what, detail);
    }
}
