package io.dtxlab.participant.resource;

/**
 * A resource's answer to prepare or can-commit: yes, or no with the reason the user will read.
 *
 * @param busy a no only because what is asked for is held by transactions that have not finished (reserved, not
 *        gone): a saga's locking step is then answered busy and tried again; every other message takes it as a no
 */
public record Verdict(boolean ok, String reason, boolean busy) {

    public Verdict(boolean ok, String reason) {
        this(ok, reason, false);
    }

    public static Verdict yes() {
        return new Verdict(true, null);
    }

    public static Verdict no(String reason) {
        return new Verdict(false, reason);
    }

    /**
     * No for now: only unfinished transactions' holds stand in the way; once they finish the answer may be yes.
     *
     * @param reason what holds it, as the user will read it (also the NO's reason where busy means no)
     */
    public static Verdict busy(String reason) {
        return new Verdict(false, reason, true);
    }
}
