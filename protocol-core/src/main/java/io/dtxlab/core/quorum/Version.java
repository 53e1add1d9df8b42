package io.dtxlab.core.quorum;

import java.util.Objects;

/**
 * One version of a key's value and the vector clock of its history. Two versions with the same clock are the same
 * version: a clock names one write, by the node that coordinated it.
 *
 * @param clock the history of this version
 * @param value the value written
 */
public record Version(VectorClock clock, String value) {

    public Version {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(value, "value");
    }

    /** Whether this version has seen {@code other}, so that {@code other} may be dropped in its favour. */
    public boolean covers(Version other) {
        return clock.descends(other.clock);
    }

    @Override
    public String toString() {
        return value + clock;
    }
}
