package io.dtxlab.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * An event of a client operation: its invoke or its completion. Every field but the time is the operation's.
 */
public sealed interface ClientEvent extends Event permits Invoke, Completion {

    /** The client (Jepsen's process) that ran the operation; it runs one operation at a time. */
    String process();

    /** The operation's function, e.g. {@code read}, {@code write}, {@code cas}, {@code order}. */
    String f();

    /** The key the operation touches; null for an operation on no single key. */
    String key();

    /**
     * The operation's value, any JSON: on an invoke what the client asked (the value to write, the request body), on
     * a completion what it was told (the value read, the response body). JSON {@code null} when there is none; never
     * a Java null.
     */
    JsonNode value();

    /** The value as stored: a Java null becomes JSON null, so a history reads back equal to what was written. */
    static JsonNode orNull(JsonNode value) {
        return value == null ? NullNode.getInstance() : value;
    }

    /** Refuses an event without a client or a function. */
    static void require(String process, String f) {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(f, "f");
    }
}
