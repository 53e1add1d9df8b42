package io.dtxlab.core.commit.coordinator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One transaction without atomic commitment ({@code NONE}), as the coordinator sees it: every participant was told
 * to apply its part at once, and each answer says whether it did. Nothing is decided and nothing is undone; the
 * round only reports what happened once every participant answered (or the timeout fired):
 * <ul>
 * <li>{@link Outcome#COMMIT}: every branch applied;</li>
 * <li>{@link Outcome#ABORT}: no branch applied;</li>
 * <li>{@link Outcome#PARTIAL}: some applied and keep their effect, some did not: the half-done transaction that
 * atomic commitment exists to prevent.</li>
 * </ul>
 * A participant that did not answer counts as not applied, as far as the coordinator knows; the audit compares
 * with what the participants really hold. Not thread-safe: the adapter serialises the calls for one transaction.
 */
public final class ApplyRound {

    /** What happened to the transaction as a whole. */
    public enum Outcome {
        COMMIT,
        ABORT,
        PARTIAL
    }

    /**
     * One participant's answer.
     *
     * @param applied whether it applied its part (false: refused, or no answer)
     * @param reason why not: the resource's refusal, or why no answer came
     * @param answered false when no answer came (a lost message, the timeout)
     */
    public record Answer(String participant, boolean applied, String reason, boolean answered) {
    }

    private final String xid;
    private final List<String> participants;
    private final Map<String, Answer> answers = new LinkedHashMap<>();
    private Outcome outcome;
    private String reason;

    public ApplyRound(String xid, List<String> participants) {
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs at least one participant");
        }
        if (new LinkedHashSet<>(participants).size() != participants.size()) {
            throw new IllegalArgumentException("participants must be distinct: " + participants);
        }
        this.xid = xid;
        this.participants = List.copyOf(participants);
    }

    /** {@code participant} applied its part. Returns the outcome when this was the last answer. */
    public Optional<Outcome> onApplied(String participant) {
        return answer(new Answer(participant, true, null, true));
    }

    /** {@code participant}'s resource refused; nothing was done there. */
    public Optional<Outcome> onRefused(String participant, String why) {
        return answer(new Answer(participant, false, "refused" + (why == null ? "" : ": " + why), true));
    }

    /** No answer could be had from {@code participant} (unreachable, failed, conflicting): not applied as known. */
    public Optional<Outcome> onLost(String participant, String why) {
        return answer(new Answer(participant, false, "did not answer: " + why, false));
    }

    /** The timeout fired: whoever has not answered counts as not applied. */
    public Optional<Outcome> onTimeout(String timeout) {
        if (outcome != null) {
            return Optional.empty();
        }
        for (String p : participants) {
            answers.putIfAbsent(p, new Answer(p, false, "did not answer within " + timeout, false));
        }
        return settle();
    }

    public Optional<Outcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    /**
     * What was applied and kept and what was not, e.g. {@code not atomic: order, inventory applied and kept;
     * payment refused: insufficient funds}; null when every branch applied.
     */
    public String reason() {
        return reason;
    }

    /** The answers so far, in the order they came. */
    public Map<String, Answer> answers() {
        return Collections.unmodifiableMap(answers);
    }

    public List<String> participants() {
        return participants;
    }

    public String xid() {
        return xid;
    }

    private Optional<Outcome> answer(Answer answer) {
        if (!participants.contains(answer.participant())) {
            throw new IllegalArgumentException(answer.participant() + " is not a participant of " + xid);
        }
        if (outcome != null || answers.putIfAbsent(answer.participant(), answer) != null) {
            return Optional.empty(); // a late or repeated answer changes nothing
        }
        return answers.size() == participants.size() ? settle() : Optional.empty();
    }

    private Optional<Outcome> settle() {
        List<String> applied = new ArrayList<>();
        List<String> notApplied = new ArrayList<>();
        for (String p : participants) {
            Answer a = answers.get(p);
            if (a.applied()) {
                applied.add(p);
            } else {
                notApplied.add(p + " " + a.reason());
            }
        }
        if (notApplied.isEmpty()) {
            outcome = Outcome.COMMIT;
        } else if (applied.isEmpty()) {
            outcome = Outcome.ABORT;
            reason = "nothing applied: " + String.join("; ", notApplied);
        } else {
            outcome = Outcome.PARTIAL;
            reason = "not atomic: " + String.join(", ", applied) + " applied and kept; " + String.join("; ", notApplied);
        }
        return Optional.of(outcome);
    }
}
