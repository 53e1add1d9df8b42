package io.dtxlab.core.quorum;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A vector clock: for each node that coordinated a write in a version's history, how many writes it coordinated.
 * Immutable; entries with a zero counter are never stored, so two clocks with the same history are equal.
 * <p>
 * The partial order: {@code a} descends {@code b} when every counter of {@code a} is at least the counter of
 * {@code b}. Two clocks where neither descends the other are concurrent: their versions are siblings.
 */
public final class VectorClock {

    /**
     * The highest counter a client's context may carry: 2^62. A node whose counter was pushed up to it still has
     * 2^62 writes of the key to go before a {@code long} would overflow.
     */
    public static final long MAX_CONTEXT_COUNTER = 1L << 62;

    /**
     * The highest counter a stored version may carry: 2^62 + 2^61, room for 2^61 writes above a context at
     * {@link #MAX_CONTEXT_COUNTER}, and still far from where a {@code long} would overflow.
     */
    public static final long MAX_COUNTER = 3L << 61;

    private static final VectorClock EMPTY = new VectorClock(new TreeMap<>());

    private final SortedMap<String, Long> counters;

    private VectorClock(SortedMap<String, Long> counters) {
        this.counters = Collections.unmodifiableSortedMap(counters);
    }

    /** The clock of no history at all: every clock descends it. */
    public static VectorClock empty() {
        return EMPTY;
    }

    /** A clock from node ids and counters; zero counters are dropped, negative ones refused. */
    public static VectorClock of(Map<String, Long> counters) {
        TreeMap<String, Long> copy = new TreeMap<>();
        counters.forEach((node, counter) -> {
            checkNode(node);
            if (counter == null || counter < 0) {
                throw new IllegalArgumentException("vector clock counter of " + node + " must be 0 or more, was "
                        + counter);
            }
            if (counter > 0) {
                copy.put(node, counter);
            }
        });
        return copy.isEmpty() ? EMPTY : new VectorClock(copy);
    }

    /** Refuses a node id that could not be encoded: blank, or with {@code ':'}, {@code ','} or {@code '|'}. */
    static void checkNode(String node) {
        if (node == null || node.isBlank() || node.indexOf(':') >= 0 || node.indexOf(',') >= 0
                || node.indexOf('|') >= 0) {
            throw new IllegalArgumentException("a vector clock entry needs a node id without ':', ',' or '|', was '"
                    + node + "'");
        }
    }

    /** Parses the form {@link #encode()} writes: {@code replica-1:2,replica-2:1}; blank is the empty clock. */
    public static VectorClock parse(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return EMPTY;
        }
        TreeMap<String, Long> counters = new TreeMap<>();
        for (String entry : encoded.split(",")) {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw new IllegalArgumentException("vector clock entry '" + entry + "' is not of the form node:counter");
            }
            try {
                counters.put(entry.substring(0, colon).trim(), Long.parseLong(entry.substring(colon + 1).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("vector clock entry '" + entry + "' has no whole-number counter");
            }
        }
        return of(counters);
    }

    /** The counter of {@code node}: 0 when it never coordinated a write of this history. */
    public long counter(String node) {
        return counters.getOrDefault(node, 0L);
    }

    /** The entries, sorted by node id. */
    public SortedMap<String, Long> counters() {
        return counters;
    }

    public boolean isEmpty() {
        return counters.isEmpty();
    }

    /** This clock with {@code node}'s counter set to {@code counter}, which must not go backwards. */
    public VectorClock with(String node, long counter) {
        if (counter < counter(node)) {
            throw new IllegalArgumentException("the counter of " + node + " cannot go back from " + counter(node)
                    + " to " + counter);
        }
        TreeMap<String, Long> next = new TreeMap<>(counters);
        next.put(node, counter);
        return of(next);
    }

    /** This clock with {@code node}'s counter one higher: the event of {@code node} coordinating one write. */
    public VectorClock increment(String node) {
        return with(node, Math.addExact(counter(node), 1));
    }

    /**
     * The plain vector clock of a new write that {@code coordinator} coordinates on top of this context: its own
     * entry moves past both the context's and {@code lastCounter}, the highest counter it ever gave this key. Two
     * writes through one node on top of one context thus get clocks where the second descends the first, which
     * loses the first; the replicas use {@link Version#write} with a {@link Dot} instead.
     */
    public VectorClock advance(String coordinator, long lastCounter) {
        return with(coordinator, Math.addExact(Math.max(lastCounter, counter(coordinator)), 1));
    }

    /** The least upper bound: for every node the higher counter. It descends both clocks, and nothing less does. */
    public VectorClock merge(VectorClock other) {
        TreeMap<String, Long> merged = new TreeMap<>(counters);
        other.counters.forEach((node, counter) -> merged.merge(node, counter, Math::max));
        return of(merged);
    }

    /** The highest counter of any node: 0 for the empty clock. */
    public long highest() {
        return counters.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Whether this clock has seen the write {@code dot}. */
    public boolean contains(Dot dot) {
        return dot.in(this);
    }

    /** Whether this clock has seen everything {@code other} has (equal clocks descend each other). */
    public boolean descends(VectorClock other) {
        for (Map.Entry<String, Long> entry : other.counters.entrySet()) {
            if (counter(entry.getKey()) < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Whether neither clock has seen all of the other. */
    public boolean concurrentWith(VectorClock other) {
        return compare(other) == Causality.CONCURRENT;
    }

    /** How this clock relates to {@code other}. */
    public Causality compare(VectorClock other) {
        boolean thisHasSeenOther = descends(other);
        boolean otherHasSeenThis = other.descends(this);
        if (thisHasSeenOther && otherHasSeenThis) {
            return Causality.EQUAL;
        }
        if (thisHasSeenOther) {
            return Causality.AFTER;
        }
        return otherHasSeenThis ? Causality.BEFORE : Causality.CONCURRENT;
    }

    /** The storage and context form: {@code replica-1:2,replica-2:1}, sorted by node id; empty for no history. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        counters.forEach((node, counter) -> sb.append(sb.isEmpty() ? "" : ",").append(node).append(':').append(counter));
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorClock other && counters.equals(other.counters);
    }

    @Override
    public int hashCode() {
        return counters.hashCode();
    }

    /** For people: node and counter per entry, e.g. {@code [replica-1:2, replica-2:1]}. */
    @Override
    public String toString() {
        return "[" + encode().replace(",", ", ") + "]";
    }
}
