package io.dtxlab.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The operation happened; the client was told {@code value}.
 *
 * @param process the client
 * @param f the function, as on the invoke
 * @param key the key, as on the invoke
 * @param value what the client was told: the value read, or the service's answer (e.g. a write's receipt)
 * @param time nanoseconds since the run's start
 */
public record Ok(String process, String f, String key, JsonNode value, long time) implements Completion {

    public Ok {
        ClientEvent.require(process, f);
        value = ClientEvent.orNull(value);
        Event.checkTime(time);
    }

    @Override
    public String error() {
        return null;
    }
}
