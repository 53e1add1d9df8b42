package io.dtxlab.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The operation definitely did not happen (e.g. a 4xx, or a 503 the service gives only before it changed anything).
 * Checkers drop it: it constrains nothing.
 *
 * @param process the client
 * @param f the function, as on the invoke
 * @param key the key, as on the invoke
 * @param value the invoke's value
 * @param error what the client was told
 * @param time nanoseconds since the run's start
 */
public record Fail(String process, String f, String key, JsonNode value, String error, long time)
        implements Completion {

    public Fail {
        ClientEvent.require(process, f);
        value = ClientEvent.orNull(value);
        Event.checkTime(time);
    }
}
