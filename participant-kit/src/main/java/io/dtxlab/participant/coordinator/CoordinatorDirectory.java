package io.dtxlab.participant.coordinator;

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
}
