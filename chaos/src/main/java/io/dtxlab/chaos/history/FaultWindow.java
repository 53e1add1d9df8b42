package io.dtxlab.chaos.history;

import java.util.Locale;

/**
 * The time a fault was in effect: from its nemesis start to its stop.
 *
 * @param fault the fault, as the nemesis named it
 * @param start nanoseconds since the run's start
 * @param stop nanoseconds since the run's start; {@link Long#MAX_VALUE} when the history ends with the fault still on
 */
public record FaultWindow(String fault, long start, long stop) {

    public FaultWindow {
        if (stop < start) {
            throw new IllegalArgumentException("fault '" + fault + "' stops before it starts");
        }
    }

    /**
     * The fault's kind: the first word of its name, as the nemesis names faults ({@code crash coordinator-2},
     * {@code partition [order] | [inventory]}, {@code pause replica-1}), so {@code crash}, {@code partition} or
     * {@code pause}.
     */
    public String kind() {
        String name = fault == null ? "" : fault.strip();
        int space = name.indexOf(' ');
        return space < 0 ? name : name.substring(0, space);
    }

    /** Whether the fault was still on when the history ended. */
    public boolean open() {
        return stop == Long.MAX_VALUE;
    }

    /** Whether the fault was in effect at some time within {@code [from, to]} (nanoseconds, inclusive). */
    public boolean overlaps(long from, long to) {
        return start <= to && from <= stop;
    }

    /** {@code kill coordinator-1 [1500.000 ms .. 4500.000 ms]}, or {@code .. end]} when still on. */
    public String describe() {
        return String.format(Locale.ROOT, "%s [%.3f ms .. %s]", fault, start / 1e6,
                open() ? "end" : String.format(Locale.ROOT, "%.3f ms", stop / 1e6));
    }
}
