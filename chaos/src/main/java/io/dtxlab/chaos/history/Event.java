package io.dtxlab.chaos.history;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One line of a history: a client's {@link Invoke} or its completion ({@link Ok}, {@link Fail}, {@link Info}), or a
 * {@link Nemesis} fault starting or stopping. On the wire each event is one JSON object whose {@code type} names it
 * ({@code invoke}, {@code ok}, {@code fail}, {@code info}, {@code nemesis}), as in Jepsen's histories.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Invoke.class, name = "invoke"),
        @JsonSubTypes.Type(value = Ok.class, name = "ok"),
        @JsonSubTypes.Type(value = Fail.class, name = "fail"),
        @JsonSubTypes.Type(value = Info.class, name = "info"),
        @JsonSubTypes.Type(value = Nemesis.class, name = "nemesis")})
public sealed interface Event permits ClientEvent, Nemesis {

    /** When it happened: nanoseconds since the run's start, on a monotonic clock (never the wall clock). */
    long time();

    /** Refuses a time before the run's start. */
    static long checkTime(long time) {
        if (time < 0) {
            throw new IllegalArgumentException("an event's time is nanoseconds since the run's start, 0 or more, was "
                    + time);
        }
        return time;
    }
}
