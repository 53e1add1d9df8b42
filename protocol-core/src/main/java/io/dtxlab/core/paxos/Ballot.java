package io.dtxlab.core.paxos;

import java.util.Objects;

/**
 * A proposal number: a round and the node that owns it. Ballots are totally ordered by round, then by node id, so
 * two proposers never share one. The ballot of the winning proposer is the leadership term; see
 * {@link PaxosConfig#epoch(Ballot)} for the single {@code long} used to fence 2PC participants.
 *
 * @param round grows each time some node starts an election
 * @param node the proposer's node id ({@code ""} only for {@link #ZERO})
 */
public record Ballot(long round, String node) implements Comparable<Ballot> {

    /** Lower than every real ballot: what an acceptor has promised before it ever promised anything. */
    public static final Ballot ZERO = new Ballot(0, "");

    public Ballot {
        Objects.requireNonNull(node, "node");
        if (round < 0) {
            throw new IllegalArgumentException("round must not be negative: " + round);
        }
    }

    @Override
    public int compareTo(Ballot other) {
        int byRound = Long.compare(round, other.round);
        return byRound != 0 ? byRound : node.compareTo(other.node);
    }

    public boolean isHigherThan(Ballot other) {
        return compareTo(other) > 0;
    }

    public boolean isLowerThan(Ballot other) {
        return compareTo(other) < 0;
    }

    @Override
    public String toString() {
        return round + "." + node;
    }
}
