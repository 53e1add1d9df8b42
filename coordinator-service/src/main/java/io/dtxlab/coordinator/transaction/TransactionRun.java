package io.dtxlab.coordinator.transaction;

import io.dtxlab.contract.BranchSpec;
import io.dtxlab.coordinator.log.LogReceipt;
import io.dtxlab.coordinator.log.LoggedTransaction;
import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.coordinator.CommitRound;
import io.dtxlab.core.commit.coordinator.CoordinatorStatus;
import io.dtxlab.core.commit.coordinator.Phase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One transaction as users see it, beside its pure coordinator machine: the branches with their payloads, the
 * machine's latest status, the message timeline and the times. The engine thread writes it; views are read from
 * request threads, so every method is synchronized.
 */
final class TransactionRun {

    /** NONE: one participant's answer to apply. */
    private record Applied(boolean applied, String reason) {
    }

    private final String xid;
    private final CommitProtocol protocol;
    private final List<BranchSpec> branches;
    private final List<String> participants;
    private final String coordinator;
    private final long epoch;
    private final Clock clock;
    private final Instant begunAt;
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final Map<String, Applied> applied = new LinkedHashMap<>();
    private CoordinatorStatus status;
    private String outcomeReason;
    private Instant decidedAt;
    private Instant endedAt;
    private int messages;
    private double consensusMessages;
    private boolean timelineStored;

    TransactionRun(String xid, CommitProtocol protocol, List<BranchSpec> branches, String coordinator, long epoch,
            Clock clock, Instant begunAt) {
        this.xid = xid;
        this.protocol = protocol;
        this.branches = List.copyOf(branches);
        this.participants = branches.stream().map(BranchSpec::participant).toList();
        this.coordinator = coordinator;
        this.epoch = epoch;
        this.clock = clock;
        this.begunAt = begunAt;
    }

    /** A transaction a new leader found unfinished in the log; it carries the new leader's epoch. */
    static TransactionRun recovered(LoggedTransaction logged, String coordinator, long epoch, Clock clock) {
        TransactionRun run = new TransactionRun(logged.xid(), CommitProtocol.parse(logged.protocol()),
                logged.branches(), coordinator, epoch, clock, logged.begunAt());
        run.decidedAt = logged.decidedAt();
        run.log("recovered from the log by " + coordinator + " (epoch " + epoch + ")",
                logged.decision() == null ? "no decision was logged" : "decision " + logged.decision() + " was logged");
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

    List<String> participants() {
        return participants;
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

    LoggedTransaction begin() {
        return new LoggedTransaction(xid, protocol.label(), coordinator, epoch, branches, begunAt, null, null,
                Map.of(), null, null, null);
    }

    /** The machine's status after its latest step; marks when the decision became durable and when it ended. */
    synchronized void status(CoordinatorStatus status) {
        this.status = status;
        if (status.decision() != null && decidedAt == null || !protocol.isAtomic() && status.ended() && decidedAt == null) {
            decidedAt = clock.instant();
        }
        if (status.ended() && endedAt == null) {
            endedAt = clock.instant();
        }
    }

    synchronized void outcomeReason(String reason) {
        this.outcomeReason = reason;
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

    /** A record chosen through Paxos; the transaction is charged its share of the round's consensus messages. */
    synchronized void logged(String what, LogReceipt receipt, String detail) {
        consensusMessages += receipt.consensusMessages();
        timeline.add(entry("log", coordinator, coordinator, what,
                (detail == null ? "" : detail + "; ") + receipt.describe()));
    }

    /** NONE: a participant's apply answer (applied, or refused or lost with the reason). */
    synchronized void applied(String participant, boolean ok, String reason) {
        applied.put(participant, new Applied(ok, reason));
    }

    synchronized boolean isDecisionDurable() {
        return status != null && status.decision() != null;
    }

    synchronized Optional<Decision> decision() {
        return status == null ? Optional.empty() : Optional.ofNullable(status.decision());
    }

    /**
     * The outcome as metrics and users name it: the durable decision (COMMIT, ABORT), or for NONE the apply outcome
     * (COMMIT, ABORT, PARTIAL); empty while neither is known.
     */
    synchronized Optional<String> outcome() {
        if (status == null) {
            return Optional.empty();
        }
        if (!protocol.isAtomic()) {
            return Optional.ofNullable(status.applyOutcome()).map(Enum::name);
        }
        return Optional.ofNullable(status.decision()).map(Enum::name);
    }

    synchronized String reason() {
        if (status != null && status.reason() != null) {
            return status.reason();
        }
        return outcomeReason;
    }

    /** How long the last phase took, from the durable decision to the last acknowledgement (once ended). */
    synchronized Optional<Duration> lastPhase() {
        return decidedAt == null || endedAt == null ? Optional.empty() : Optional.of(Duration.between(decidedAt, endedAt));
    }

    synchronized int messages() {
        return messages;
    }

    synchronized double consensusMessages() {
        return consensusMessages;
    }

    /** Its timeline is in this coordinator's H2 file. */
    synchronized void markTimelineStored() {
        timelineStored = true;
    }

    synchronized boolean isTimelineStored() {
        return timelineStored;
    }

    synchronized TransactionView view() {
        Instant end = endedAt != null ? endedAt : clock.instant();
        long took = Duration.between(begunAt, end).toMillis();
        int consensus = (int) Math.round(consensusMessages);
        Optional<String> outcome = outcome();
        if (!protocol.isAtomic()) {
            List<TransactionView.ParticipantView> views = participants.stream().map(p -> {
                Applied a = applied.get(p);
                return new TransactionView.ParticipantView(p, null, a == null ? null : a.reason(), null, a != null,
                        a == null ? null : a.applied());
            }).toList();
            return new TransactionView(xid, protocol.label(), endedAt != null ? "ENDED" : "BEGUN",
                    outcome.orElse(null), outcome.isPresent() ? reason() : null, coordinator, epoch, begunAt,
                    decidedAt, endedAt, took, views, List.of(), messages, consensus, List.copyOf(timeline),
                    List.of(coordinator), timelineStored, null);
        }
        boolean durable = isDecisionDurable();
        List<String> awaiting = durable ? status.awaitingAck() : participants;
        Map<String, CommitRound.Ballot> votes = status == null ? Map.of() : status.votes();
        boolean preCommitStarted = status != null && protocol == CommitProtocol.THREE_PHASE
                && (status.phase() == Phase.PRE_COMMIT || !status.preCommitted().isEmpty());
        List<TransactionView.ParticipantView> views = participants.stream().map(p -> {
            CommitRound.Ballot b = votes.get(p);
            Boolean pre = preCommitStarted ? status.preCommitted().contains(p) : null;
            return new TransactionView.ParticipantView(p, b == null || b.vote() == null ? null : b.vote().name(),
                    b == null ? null : b.reason(), pre, durable && !awaiting.contains(p), null);
        }).toList();
        String state = endedAt != null ? "ENDED"
                : status != null && status.phase() == Phase.COMPENSATION ? "COMPENSATING"
                : durable ? "DECIDED" : "BEGUN";
        return new TransactionView(xid, protocol.label(), state, outcome.orElse(null),
                durable ? reason() : null, coordinator, epoch, begunAt, decidedAt, endedAt, took, views,
                durable ? awaiting : List.of(), messages, consensus, List.copyOf(timeline), List.of(coordinator),
                timelineStored, null);
    }

    private TimelineEntry entry(String type, String from, String to, String what, String detail) {
        Instant now = clock.instant();
        return new TimelineEntry(now, Duration.between(begunAt, now).toMillis(), type, from, to, what, detail);
    }
}
