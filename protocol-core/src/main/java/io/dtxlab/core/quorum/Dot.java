package io.dtxlab.core.quorum;

import java.util.Objects;

/**
 * A dot: one write, named by the node that coordinated it and that node's counter for the key when it did. A node
 * gives each write of a key the next counter above every one it gave or saw for that key, so a dot names exactly one
 * write (Preguiça et al., "Dotted Version Vectors", 2010).
 *
 * @param node the coordinating node's id
 * @param counter its counter for the key, 1 or more
 */
public record Dot(String node, long counter) {

    public Dot {
        VectorClock.checkNode(node);
        if (counter < 1) {
            throw new IllegalArgumentException("the counter of a dot must be 1 or more, was " + counter);
        }
    }

    /** Parses {@code node:counter}, the form {@link #toString()} writes; null or blank is no dot. */
    public static Dot parse(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        VectorClock single = VectorClock.parse(encoded);
        if (single.counters().size() != 1) {
            throw new IllegalArgumentException("a dot is one node:counter, was '" + encoded + "'");
        }
        var entry = single.counters().entrySet().iterator().next();
        return new Dot(entry.getKey(), entry.getValue());
    }

    /** Whether {@code clock} has seen this write: its counter for {@link #node} reaches {@link #counter}. */
    public boolean in(VectorClock clock) {
        return clock.counter(node) >= counter;
    }

    @Override
    public String toString() {
        return node + ":" + counter;
    }

    static int compare(Dot a, Dot b) {
        if (Objects.equals(a, b)) {
            return 0;
        }
        if (a == null || b == null) {
            return a == null ? -1 : 1;
        }
        int byNode = a.node.compareTo(b.node);
        return byNode != 0 ? byNode : Long.compare(a.counter, b.counter);
    }
}
