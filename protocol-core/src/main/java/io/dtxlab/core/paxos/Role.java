package io.dtxlab.core.paxos;

/** What a node is doing in the protocol right now (volatile: every node restarts as a follower). */
public enum Role {
    /** Accepts what the leader proposes; starts an election when it has not heard from a leader for a while. */
    FOLLOWER,
    /** Ran phase 1 (prepare) with a new ballot and waits for a majority of promises. */
    CANDIDATE,
    /** Won phase 1: proposes values in phase 2 (accept) and renews its lease with heartbeats. */
    LEADER
}
