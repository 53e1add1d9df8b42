package io.dtxlab.coordinator.leadership;

/**
 * Which coordinator leads, and under which epoch. Only the leader begins and recovers transactions, and every
 * message it sends carries its epoch, which participants use to refuse a deposed leader. The coordinators elect
 * the leader with Paxos, and its epoch is its ballot ({@code io.dtxlab.coordinator.consensus.PaxosLeadership}).
 */
public interface Leadership {

    /** The node id of the leader, as far as this node knows. */
    String leader();

    boolean isLeader();

    /** The leader's epoch; it only ever grows (a restart or a new leader raises it). */
    long epoch();

    /** Runs {@code action} each time this node takes over as leader, with the log complete: time for recovery. */
    void onLeadership(Runnable action);
}
