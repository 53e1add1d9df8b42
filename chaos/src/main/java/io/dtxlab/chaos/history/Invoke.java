package io.dtxlab.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A client began an operation. Exactly one completion of the same process follows it in the history, unless the
 * history ends first (then the operation's outcome is unknown, as after an {@link Info}).
 *
 * @param process the client
 * @param f the function, e.g. {@code write}
 * @param key the key, or null
 * @param value what the client asked, e.g. the value to write; JSON null for a read
 * @param time nanoseconds since the run's start
 */
public record Invoke(String process, String f, String key, JsonNode value, long time) implements ClientEvent {

    public Invoke {
        ClientEvent.require(process, f);
        value = ClientEvent.orNull(value);
        Event.checkTime(time);
    }

    /** The operation happened, and the client was told {@code value} at {@code time}. */
    public Ok ok(JsonNode value, long time) {
        return new Ok(process, f, key, value, time);
    }

    /** The operation definitely did not happen: the client was told so at {@code time}, with {@code error}. */
    public Fail fail(String error, long time) {
        return new Fail(process, f, key, value, error, time);
    }

    /**
     * The client stopped waiting at {@code time} without knowing whether the operation happened (a timeout, a lost
     * connection, a 202). {@code value} is what it was told, if anything (JSON null otherwise).
     */
    public Info info(JsonNode value, String error, long time) {
        return new Info(process, f, key, value, error, time);
    }
}
