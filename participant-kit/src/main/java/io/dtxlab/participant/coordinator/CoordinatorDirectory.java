package io.dtxlab.participant.coordinator;

/**
 * Where the coordinator that leads is. A participant asks it for decisions, and the order service begins
 * transactions there. In [B] one configured node leads; [D] replaces this bean with leader discovery.
 */
public interface CoordinatorDirectory {

    /** The node id of the coordinator to talk to now. */
    String leader();

    /** Tells the directory that {@code leader} answered as not the leader, naming {@code hint} if it knew one. */
    default void notLeader(String leader, String hint) {
    }
}
