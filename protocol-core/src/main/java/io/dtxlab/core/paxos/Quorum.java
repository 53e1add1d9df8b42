package io.dtxlab.core.paxos;

/** Majority arithmetic: any two majorities of the same members share at least one member. */
public final class Quorum {

    private Quorum() {
    }

    /** The smallest number of members that is a majority of {@code members}. */
    public static int majority(int members) {
        if (members < 1) {
            throw new IllegalArgumentException("a cluster needs at least one member");
        }
        return members / 2 + 1;
    }
}
