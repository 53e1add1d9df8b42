package io.dtxlab.core.replication;

import java.util.Collection;
import java.util.Comparator;

/**
 * The election of a new master when the old one is gone and the failover policy is ELECT: the Bully algorithm
 * (Garcia-Molina, "Elections in a Distributed Computing System", 1982), ranked by data instead of by id alone:
 * <ol>
 * <li>A slave that has not heard its master for the master timeout asks every replica for its position (epoch and
 * last replicated index). Only a majority of the cluster, itself included, may elect: a minority behind a
 * partition cannot.</li>
 * <li>The candidate with the highest replicated index wins; equal indexes go to the highest node id, as in Bully.
 * A slave that is not the winner asks the winner to run.</li>
 * <li>The winner proposes epoch = highest epoch seen + 1. A replica grants it only if it is newer than any epoch it
 * has granted and the winner is at least as up to date as itself; it persists the grant before it answers. With
 * grants from a majority the winner is master, and every message it sends carries the new epoch: the old master's
 * messages and entries are fenced.</li>
 * </ol>
 */
public final class BullyElection {

    /**
     * A replica's position in an election.
     *
     * @param node its id
     * @param epoch the newest epoch it knows or granted
     * @param lastIndex the last index in its log
     */
    public record Candidate(String node, long epoch, long lastIndex) {
    }

    /** Node ids compared as the lab names them: replica-10 ranks above replica-9. */
    public static final Comparator<String> NODE_ID_ORDER = Comparator.comparingInt(String::length)
            .thenComparing(Comparator.naturalOrder());

    /** Highest replicated index first, then highest node id. */
    public static final Comparator<Candidate> RANK = Comparator.comparingLong(Candidate::lastIndex)
            .thenComparing(Candidate::node, NODE_ID_ORDER);

    private BullyElection() {
    }

    public static Candidate winner(Collection<Candidate> candidates) {
        return candidates.stream().max(RANK)
                .orElseThrow(() -> new IllegalArgumentException("an election needs at least one candidate"));
    }

    public static boolean isMajority(int replicas, int clusterSize) {
        return replicas > clusterSize / 2;
    }

    public static long nextEpoch(Collection<Candidate> candidates) {
        return candidates.stream().mapToLong(Candidate::epoch).max().orElse(0) + 1;
    }

    /** Whether a replica at {@code self} grants {@code proposedEpoch} to {@code proposer}. */
    public static boolean grants(Candidate self, long proposedEpoch, Candidate proposer) {
        return proposedEpoch > self.epoch() && proposer.lastIndex() >= self.lastIndex();
    }
}
