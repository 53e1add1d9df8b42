package io.dtxlab.participant.coordinator;

import io.dtxlab.platform.messaging.ClusterCallException;

/**
 * Where the coordinator that leads is. A participant asks it for decisions, and the order service begins
 * transactions there. The coordinators elect their leader with Paxos; {@link DiscoveringCoordinatorDirectory}
 * follows them.
 */
public interface CoordinatorDirectory {

    /** The node id of the coordinator to talk to now. */
    String leader();

    /** Tells the directory that {@code leader} answered as not the leader, naming {@code hint} if it knew one. */
    default void notLeader(String leader, String hint) {
    }

    /** The leader a coordinator that does not lead names in its problem detail ({@code leader}), if any. */
    static String leaderHint(ClusterCallException e) {
        if (e.peerProblem() != null && e.peerProblem().getProperties() != null) {
            Object leader = e.peerProblem().getProperties().get("leader");
            return leader == null ? null : leader.toString();
        }
        return null;
    }
}
