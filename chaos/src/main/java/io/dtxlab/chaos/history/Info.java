package io.dtxlab.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The client does not know whether the operation happened (a timeout, a broken connection, a 202 with the outcome
 * still open). Its effect may come at any time after its invoke, even after this event, or never: checkers treat its
 * completion time as infinity (Knossos, Porcupine).
 *
 * @param process the client
 * @param f the function, as on the invoke
 * @param key the key, as on the invoke
 * @param value what the client was told, if anything (e.g. a 202's body naming the transaction); JSON null otherwise
 * @param error why the outcome is unknown
 * @param time nanoseconds since the run's start: when the client stopped waiting
 */
public record Info(String process, String f, String key, JsonNode value, String error, long time)
        implements Completion {

    public Info {
        ClientEvent.require(process, f);
        value = ClientEvent.orNull(value);
        Event.checkTime(time);
    }
}
