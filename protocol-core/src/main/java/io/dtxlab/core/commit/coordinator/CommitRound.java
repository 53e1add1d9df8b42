package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One global transaction as the coordinator sees it: votes come in, a decision comes out, acknowledgements end it.
 * Presumed abort: the only way to COMMIT is a YES from every participant; a NO, a failure to deliver, or the
 * timeout decides ABORT, and so does a restart that finds no decision.
 * <p>
 * Not thread-safe: the adapter serialises the calls for one transaction. It decides; it does not store or send:
 * the adapter stores the decision durably and only then sends phase 2.
 */
public final class CommitRound {

    private final String xid;
    private final List<String> participants;
    private final Map<String, Ballot> votes = new LinkedHashMap<>();
    private final Set<String> acknowledged = new LinkedHashSet<>();
    private Decision decision;
    private String reason;

    /** A participant's vote, or the reason it gave none. */
    public record Ballot(String participant, Vote vote, String reason) {
    }

    public CommitRound(String xid, List<String> participants) {
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs at least one participant");
        }
        if (new LinkedHashSet<>(participants).size() != participants.size()) {
            throw new IllegalArgumentException("participants must be distinct: " + participants);
        }
        this.xid = xid;
        this.participants = List.copyOf(participants);
    }

    /** A round recovered from the log with its decision already taken. */
    public static CommitRound decided(String xid, List<String> participants, Decision decision, String reason) {
        CommitRound round = new CommitRound(xid, participants);
        round.decision = decision;
        round.reason = reason;
        return round;
    }

    public String xid() {
        return xid;
    }

    public List<String> participants() {
        return participants;
    }

    /**
     * Records a vote. Returns the decision when this vote settles it: the first NO decides ABORT, the last YES
     * decides COMMIT. Votes after the decision are recorded and change nothing.
     */
    public Optional<Decision> onVote(String participant, Vote vote, String why) {
        requireParticipant(participant);
        votes.putIfAbsent(participant, new Ballot(participant, vote, why));
        if (decision != null) {
            return Optional.empty();
        }
        if (vote == Vote.NO) {
            return decide(Decision.ABORT, participant + " voted NO" + (why == null ? "" : ": " + why));
        }
        boolean allYes = participants.stream()
                .allMatch(p -> votes.containsKey(p) && votes.get(p).vote() == Vote.YES);
        return allYes ? decide(Decision.COMMIT, null) : Optional.empty();
    }

    /** No vote could be had from {@code participant} (unreachable, failed, refused): that is a NO under presumed abort. */
    public Optional<Decision> onNoVote(String participant, String why) {
        requireParticipant(participant);
        if (decision != null) {
            return Optional.empty();
        }
        return decide(Decision.ABORT, "no vote from " + participant + ": " + why);
    }

    /** The prepare timeout fired: whoever has not voted is presumed NO. */
    public Optional<Decision> onTimeout(String timeout) {
        if (decision != null) {
            return Optional.empty();
        }
        List<String> silent = new ArrayList<>(participants);
        silent.removeAll(votes.keySet());
        return decide(Decision.ABORT, "no answer within " + timeout + " from " + String.join(", ", silent));
    }

    /** Records that {@code participant} applied the decision; returns true when every participant has. */
    public boolean onAck(String participant) {
        requireParticipant(participant);
        if (decision == null) {
            throw new IllegalStateException(xid + ": an acknowledgement before any decision");
        }
        acknowledged.add(participant);
        return isEnded();
    }

    public boolean isEnded() {
        return decision != null && acknowledged.containsAll(participants);
    }

    public Optional<Decision> decision() {
        return Optional.ofNullable(decision);
    }

    /** Why the transaction aborted (who voted NO, and why; or who was silent). */
    public String reason() {
        return reason;
    }

    public Map<String, Ballot> votes() {
        return Collections.unmodifiableMap(votes);
    }

    /** The participants that have not acknowledged the decision yet. */
    public List<String> awaitingAck() {
        List<String> waiting = new ArrayList<>(participants);
        waiting.removeAll(acknowledged);
        return waiting;
    }

    private Optional<Decision> decide(Decision d, String why) {
        decision = d;
        reason = why;
        return Optional.of(d);
    }

    private void requireParticipant(String participant) {
        if (!participants.contains(participant)) {
            throw new IllegalArgumentException(participant + " is not a participant of " + xid);
        }
    }
}
