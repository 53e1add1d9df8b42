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
 * One transaction in the coordinator's memory: the pure {@link CommitRound} plus what users see (timeline, times).
 * Callbacks from several send threads arrive here, so every method is synchronized.
 */
final class TransactionRun {

    private final String xid;
    private final CommitProtocol protocol;
    private final List<BranchSpec> branches;
    private final String coordinator;
    private final long epoch;
    private final Clock clock;
    private final Instant begunAt;
    private final CommitRound round;
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final CompletableFuture<Decision> votesSettled = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private Instant decidedAt;
    private Instant endedAt;
    private boolean decisionDurable;
    private boolean firstPhaseTwoAck;
    private int messages;

    TransactionRun(String xid, CommitProtocol protocol, List<BranchSpec> branches, String coordinator, long epoch,
            Clock clock) {
        this(xid, protocol, branches, coordinator, epoch, clock,
                new CommitRound(xid, branches.stream().map(BranchSpec::participant).toList()));
    }

    private TransactionRun(String xid, CommitProtocol protocol, List<BranchSpec> branches, String coordinator,
            long epoch, Clock clock, CommitRound round) {
        this.xid = xid;
        this.protocol = protocol;
        this.branches = List.copyOf(branches);
        this.coordinator = coordinator;
        this.epoch = epoch;
        this.clock = clock;
        this.begunAt = clock.instant();
        this.round = round;
    }

    /**
     * A transaction a restarted leader (or, in [D], a new one) finds unfinished in the log, with the decision it
     * must finish: the logged one, or ABORT when none was logged (presumed abort). It carries the new epoch.
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

    CompletableFuture<Void> ended() {
        return ended;
    }

    LoggedTransaction begin() {
        return new LoggedTransaction(xid, protocol.label(), coordinator, epoch, branches, begunAt, null, null,
                Map.of(), null, null);
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

    synchronized void onVote(String participant, Vote vote, String reason) {
        settle(round.onVote(participant, vote, reason));
    }

    synchronized void onNoVote(String participant, String reason) {
        settle(round.onNoVote(participant, reason));
    }

    synchronized Decision onTimeout(Duration timeout) {
        settle(round.onTimeout("the prepare timeout (" + timeout.toMillis() + " ms)"));
        return round.decision().orElseThrow();
    }

    synchronized Optional<Decision> decision() {
        return round.decision();
    }

    synchronized String reason() {
        return round.reason();
    }

    synchronized void decisionDurable() {
        decisionDurable = true;
        decidedAt = clock.instant();
        log("DECISION " + decision().orElseThrow() + " logged", reason());
    }

    synchronized boolean isDecisionDurable() {
        return decisionDurable;
    }

    /** Records an acknowledgement; true when it is the first of phase 2. */
    synchronized boolean onAck(String participant) {
        round.onAck(participant);
        boolean first = !firstPhaseTwoAck;
        firstPhaseTwoAck = true;
        return first;
    }

    synchronized boolean allAcknowledged() {
        return round.isEnded();
    }

    synchronized List<String> awaitingAck() {
        return round.awaitingAck();
    }

    synchronized void endDurable() {
        endedAt = clock.instant();
        log("END logged", "every participant acknowledged");
        ended.complete(null);
    }

    synchronized Map<String, String> votesForLog() {
        Map<String, String> votes = new LinkedHashMap<>();
        for (String p : round.participants()) {
            CommitRound.Ballot b = round.votes().get(p);
            votes.put(p, b == null ? "none" : b.vote() + (b.reason() == null ? "" : ": " + b.reason()));
        }
        return votes;
    }

    synchronized TransactionView view() {
        Optional<Decision> decision = decisionDurable ? decision() : Optional.empty();
        String state = endedAt != null ? "ENDED" : decisionDurable ? "DECIDED" : "BEGUN";
        List<String> awaiting = decisionDurable ? round.awaitingAck() : round.participants();
        List<TransactionView.ParticipantView> participants = round.participants().stream().map(p -> {
            CommitRound.Ballot b = round.votes().get(p);
            return new TransactionView.ParticipantView(p, b == null ? null : b.vote().name(),
                    b == null ? null : b.reason(), !awaiting.contains(p));
        }).toList();
        Instant end = endedAt != null ? endedAt : clock.instant();
        return new TransactionView(xid, protocol.label(), state, decision.map(Enum::name).orElse(null),
                decision.isPresent() ? reason() : null, coordinator, epoch, begunAt, decidedAt, endedAt,
                Duration.between(begunAt, end).toMillis(), participants, decisionDurable ? awaiting : List.of(),
                messages, List.copyOf(timeline));
    }

    synchronized int messages() {
        return messages;
    }

    private void settle(Optional<Decision> decided) {
        decided.ifPresent(votesSettled::complete);
    }

    private TimelineEntry entry(String type, String from, String to, String what, String detail) {
        Instant now = clock.instant();
        return new TimelineEntry(now, Duration.between(begunAt, now).toMillis(), type, from, to, what, detail);
    }
}
