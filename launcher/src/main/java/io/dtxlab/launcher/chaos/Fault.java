package io.dtxlab.launcher.chaos;

import java.util.Set;
import java.util.TreeSet;

/**
 * One fault the nemesis applies and later heals, on the real processes of a running cluster. Each names the nodes it
 * hits, so a report can shade its window and a checker can match an anomaly to it.
 */
public sealed interface Fault {

    /** The nodes this fault acts on. */
    Set<String> nodes();

    /** One line for logs and the history, e.g. {@code crash coordinator-2}. */
    String describe();

    /** SIGKILL (a crash: no shutdown hook, only what reached the node's files survives), then a restart from them. */
    record Crash(String node) implements Fault {
        @Override
        public Set<String> nodes() {
            return Set.of(node);
        }

        @Override
        public String describe() {
            return "crash " + node;
        }
    }

    /**
     * A partition between two sides, both ways: every node of one side refuses REST messages, datagrams and ASYNC
     * replication entries from every node of the other (the nodes' partition API). Isolating one node is a split
     * with that node alone on one side.
     */
    record Partition(Set<String> side, Set<String> otherSide) implements Fault {
        public Partition {
            side = Set.copyOf(new TreeSet<>(side));
            otherSide = Set.copyOf(new TreeSet<>(otherSide));
            if (side.isEmpty() || otherSide.isEmpty()) {
                throw new IllegalArgumentException("a partition needs a node on each side: " + side + " | " + otherSide);
            }
        }

        @Override
        public Set<String> nodes() {
            Set<String> all = new TreeSet<>(side);
            all.addAll(otherSide);
            return all;
        }

        @Override
        public String describe() {
            return "partition " + new TreeSet<>(side) + " | " + new TreeSet<>(otherSide);
        }
    }

    /**
     * SIGSTOP, then SIGCONT when healed: the process keeps its sockets and memory but does nothing, as in a long
     * garbage-collection pause, the fault that breaks leases (a paused leader wakes up believing it still leads).
     */
    record Pause(String node) implements Fault {
        @Override
        public Set<String> nodes() {
            return Set.of(node);
        }

        @Override
        public String describe() {
            return "pause " + node;
        }
    }
}
