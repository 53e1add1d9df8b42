package io.dtxlab.participant.coordinator;

import java.util.Optional;

/**
 * Where the coordinator that leads is. A participant asks it for decisions, and the order service begins
 * transactions there. The coordinators elect their leader with Paxos; {@link DiscoveringCoordinatorDirectory}
 * follows them.
 */
public interface CoordinatorDirectory {

    /** The node id of the coordinator to talk to now. */
    String leader();

    /**
     * Tells the directory that {@code asked} did not act as the leader: it answered
     * {@link io.dtxlab.contract.NotLeaderProblem} naming {@code hint} (see
     * {@link io.dtxlab.contract.CoordinatorClient#leaderHint}), or it could not be reached ({@code hint} null).
     */
    default void notLeader(String asked, String hint) {
    }

    /**
     * Asks the coordinators other than {@code silent} (one that has not answered for a while, and may be paused or
     * cut off without refusing anything) whether one of them leads now, and follows it if so.
     *
     * @return the coordinator that leads with a valid lease, other than {@code silent}; empty when none says so
     */
    default Optional<String> lookUpLeaderOtherThan(String silent) {
        return Optional.empty();
    }
}
