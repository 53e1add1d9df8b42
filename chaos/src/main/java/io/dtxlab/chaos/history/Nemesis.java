package io.dtxlab.chaos.history;

import java.util.Objects;

/**
 * The nemesis started or stopped a fault. A stop names the fault it ends with the same words as its start, e.g.
 * {@code kill coordinator-1}, {@code partition [order] | [rest]}, {@code pause inventory}.
 *
 * @param phase whether the fault starts or stops
 * @param fault what the fault is, in words a report can show
 * @param time nanoseconds since the run's start
 */
public record Nemesis(Phase phase, String fault, long time) implements Event {

    /** A fault's two moments. */
    public enum Phase {
        START,
        STOP
    }

    public Nemesis {
        Objects.requireNonNull(phase, "phase");
        if (fault == null || fault.isBlank()) {
            throw new IllegalArgumentException("a nemesis event names its fault, e.g. 'kill coordinator-1'");
        }
        Event.checkTime(time);
    }

    /** The fault begins at {@code time} (nanoseconds since the run's start). */
    public static Nemesis start(String fault, long time) {
        return new Nemesis(Phase.START, fault, time);
    }

    /** The fault ends at {@code time}; name it as its start did. */
    public static Nemesis stop(String fault, long time) {
        return new Nemesis(Phase.STOP, fault, time);
    }
}
