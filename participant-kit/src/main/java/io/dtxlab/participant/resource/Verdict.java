package io.dtxlab.participant.resource;

/** A resource's answer to prepare or can-commit: yes, or no with the reason the user will read. */
public record Verdict(boolean ok, String reason) {

    public static Verdict yes() {
        return new Verdict(true, null);
    }

    public static Verdict no(String reason) {
        return new Verdict(false, reason);
    }
}
