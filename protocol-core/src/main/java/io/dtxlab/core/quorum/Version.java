package io.dtxlab.core.quorum;

import java.util.Objects;

/**
 * One version of a key's value, with a dotted version vector: the {@link Dot} of the write that made it, and its
 * causal past, the context the client wrote with (what it had read). The write's history is the past plus the dot;
 * unlike a plain vector clock it may have a gap below the dot (two clients wrote through one node on top of the
 * same read: the second write's dot is above the first's, but its past does not hold the first).
 * <p>
 * A version written before dots existed has no dot; its {@code past} is its whole vector clock, with the plain
 * vector-clock meaning (every counter up to each entry seen).
 *
 * @param dot the write that made this version; null for a version written before dots
 * @param past what the writer had seen: the context of the write (a version without a dot: its clock)
 * @param value the value written
 */
public record Version(Dot dot, VectorClock past, String value) {

    public Version {
        Objects.requireNonNull(past, "past");
        Objects.requireNonNull(value, "value");
        if (dot != null && dot.in(past)) {
            throw new IllegalArgumentException("the dot " + dot + " of a write must be above its context " + past);
        }
    }

    /** A version with a plain vector clock and no dot: how versions were written before dots. */
    public Version(VectorClock clock, String value) {
        this(null, clock, value);
    }

    /**
     * The version a node makes when it coordinates a write: {@code dot} is its next counter for the key, and
     * {@code context} the client's context, which becomes the version's past.
     */
    public static Version write(Dot dot, VectorClock context, String value) {
        return new Version(Objects.requireNonNull(dot, "dot"), context, value);
    }

    /** The vector clock clients see: the past with the dot's entry raised to the dot. */
    public VectorClock clock() {
        return dot == null ? past : past.with(dot.node(), Math.max(past.counter(dot.node()), dot.counter()));
    }

    /**
     * Whether this version is or has seen the write that made {@code other}, so that {@code other} may be dropped
     * in its favour: its past holds the other's dot (for a version without a dot: its clock descends the other's).
     */
    public boolean covers(Version other) {
        if (sameWrite(other)) {
            return true;
        }
        return other.dot != null ? other.dot.in(past) : clock().descends(other.past);
    }

    /**
     * The context to write with after this write alone, without reading: its past, plus its dot when the dot
     * follows the past's counter of its node. With a gap below the dot (another write through the same node on top
     * of the same read) it is the past alone, so the next write cannot drop the write in the gap, which this one has
     * not seen; it joins this version as a sibling instead.
     */
    public VectorClock context() {
        return dot != null && dot.counter() == past.counter(dot.node()) + 1 ? clock() : past;
    }

    /** Whether a write with {@code context} supersedes this version: the context has seen it. */
    public boolean seenBy(VectorClock context) {
        return dot != null ? dot.in(context) : context.descends(past);
    }

    /** Whether both are the one write: the same dot (versions without a dot: the same clock). */
    public boolean sameWrite(Version other) {
        return dot != null ? dot.equals(other.dot) : other.dot == null && past.equals(other.past);
    }

    @Override
    public String toString() {
        return value + (dot == null ? "" : "(" + dot + ")") + past;
    }
}
