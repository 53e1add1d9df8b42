package io.dtxlab.platform.fault;

/**
 * A named place in the code where a fault can be injected. Services declare theirs as beans so that
 * {@code GET /admin/faults/points} lists them and a rule for a misspelt point is refused.
 *
 * @param name e.g. {@code coordinator.after-decision}
 * @param description what has and has not happened when the point is reached
 */
public record FaultPoint(String name, String description) {

    /** Prefix of the point a message passes before it is sent: {@code send:<kind>}. */
    public static final String SEND = "send:";
    /** Prefix of the point a message's reply passes when it arrives: {@code reply:<kind>}. */
    public static final String REPLY = "reply:";
}
