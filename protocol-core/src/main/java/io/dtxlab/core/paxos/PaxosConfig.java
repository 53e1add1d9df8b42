package io.dtxlab.core.paxos;

import io.dtxlab.core.cluster.Topology;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The members of one Paxos group and its timing. All durations are in milliseconds of the node's own clock.
 *
 * <p>The lease rules that keep two leaders from both believing they lead (see {@link PaxosNode}) need:
 * {@code maxClockDrift < leaseDuration <= electionTimeout} and {@code heartbeatInterval < leaseDuration - maxClockDrift}.
 * The learn delay needs {@code 0 < learnDelay <= heartbeatInterval}.
 *
 * @param self this node's id; one of {@code members}
 * @param members every node of the group, in a fixed order shared by all nodes (3 by default, 5 tolerates 2 failures)
 * @param electionTimeout a follower that has heard nothing from a leader for a random time in
 *        {@code [electionTimeout, 2 * electionTimeout)} starts an election (a pre-vote first); a candidate retries
 *        after the same. Also how long a node that heard a leader refuses to pre-vote for another, and how long a
 *        leader goes on without hearing from a majority before it steps down (check-quorum)
 * @param heartbeatInterval how often an idle leader renews its lease (and retransmits unanswered accepts); a leader
 *        whose accepts were all answered within the interval sends none
 * @param leaseDuration how long a follower, after hearing a leader, refuses to promise any other node
 * @param maxClockDrift the most two members' clocks can disagree while each measures one lease duration; the leader
 *        gives its lease up that much earlier than its followers
 * @param maxBatch the most log entries one accept or one catch-up message carries
 * @param learnDelay followers learn a decided slot from the leader's next accept, which carries its first unchosen
 *        slot; when no accept went out within this time after a decision, the leader sends a heartbeat for it. The
 *        longest a follower waits to learn a decision it accepted, when no message is lost
 */
public record PaxosConfig(String self, List<String> members, long electionTimeout, long heartbeatInterval,
        long leaseDuration, long maxClockDrift, int maxBatch, long learnDelay) {

    public static final long DEFAULT_ELECTION_TIMEOUT = 700;
    public static final long DEFAULT_HEARTBEAT_INTERVAL = 300;
    public static final long DEFAULT_LEASE_DURATION = 700;
    public static final long DEFAULT_MAX_CLOCK_DRIFT = 50;
    public static final int DEFAULT_MAX_BATCH = 256;
    public static final long DEFAULT_LEARN_DELAY = 20;

    /** Room for this many members in an {@link #epoch(Ballot)}. */
    private static final int EPOCH_MEMBER_SLOTS = 1000;

    public PaxosConfig {
        Objects.requireNonNull(self, "self");
        members = List.copyOf(members);
        if (!members.contains(self)) {
            throw new IllegalArgumentException("self '" + self + "' is not one of the members " + members);
        }
        if (members.stream().distinct().count() != members.size()) {
            throw new IllegalArgumentException("members are listed twice: " + members);
        }
        if (members.size() >= EPOCH_MEMBER_SLOTS || members.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("between 1 and 999 members with non-empty ids: " + members);
        }
        if (heartbeatInterval <= 0 || maxClockDrift < 0 || maxBatch < 1) {
            throw new IllegalArgumentException("heartbeat interval and batch size must be positive, drift not negative");
        }
        if (leaseDuration <= maxClockDrift || leaseDuration > electionTimeout) {
            throw new IllegalArgumentException("need maxClockDrift (" + maxClockDrift + ") < leaseDuration ("
                    + leaseDuration + ") <= electionTimeout (" + electionTimeout + ")");
        }
        if (heartbeatInterval >= leaseDuration - maxClockDrift) {
            throw new IllegalArgumentException("the heartbeat interval (" + heartbeatInterval
                    + ") must be shorter than the leader's lease (" + (leaseDuration - maxClockDrift) + ")");
        }
        if (learnDelay <= 0 || learnDelay > heartbeatInterval) {
            throw new IllegalArgumentException("need 0 < learnDelay (" + learnDelay + ") <= heartbeatInterval ("
                    + heartbeatInterval + ")");
        }
    }

    /** The lab's coordinator group: {@code coordinator-1} to {@code coordinator-3} (see {@link Topology}). */
    public static List<String> coordinators() {
        return IntStream.rangeClosed(1, Topology.COORDINATORS).mapToObj(i -> "coordinator-" + i).toList();
    }

    /**
     * Defaults: election timeout 700 ms, heartbeat 300 ms, lease 700 ms, drift 50 ms, batches of 256, learn delay
     * 20 ms. A leader that dies is replaced after 0.7 to 1.4 s (plus two round trips); a leader is deposed only after
     * 700 ms in which a majority heard nothing from it; its lease survives a heartbeat answered up to 350 ms late.
     */
    public static PaxosConfig defaults(String self, List<String> members) {
        return new PaxosConfig(self, members, DEFAULT_ELECTION_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL,
                DEFAULT_LEASE_DURATION, DEFAULT_MAX_CLOCK_DRIFT, DEFAULT_MAX_BATCH, DEFAULT_LEARN_DELAY);
    }

    public PaxosConfig withTiming(long electionTimeout, long heartbeatInterval, long leaseDuration,
            long maxClockDrift) {
        return new PaxosConfig(self, members, electionTimeout, heartbeatInterval, leaseDuration, maxClockDrift,
                maxBatch, learnDelay);
    }

    public PaxosConfig withMaxBatch(int maxBatch) {
        return new PaxosConfig(self, members, electionTimeout, heartbeatInterval, leaseDuration, maxClockDrift,
                maxBatch, learnDelay);
    }

    public PaxosConfig withLearnDelay(long learnDelay) {
        return new PaxosConfig(self, members, electionTimeout, heartbeatInterval, leaseDuration, maxClockDrift,
                maxBatch, learnDelay);
    }

    public int majority() {
        return Quorum.majority(members.size());
    }

    /** How long a leader may count on a lease after the heartbeat that renewed it was sent, by its own clock. */
    public long leaderLease() {
        return leaseDuration - maxClockDrift;
    }

    /**
     * The ballot as one number that grows with every new leadership and keeps the ballots' order:
     * {@code round * 1000 + rank + 1}, the rank being the node id's place among the members sorted by id. The
     * coordinator stamps it on 2PC messages as the epoch, and participants refuse older ones.
     */
    public long epoch(Ballot ballot) {
        if (ballot.equals(Ballot.ZERO)) {
            return 0;
        }
        int index = members.stream().sorted().toList().indexOf(ballot.node());
        if (index < 0) {
            throw new IllegalArgumentException("ballot " + ballot + " is not from a member of " + members);
        }
        return ballot.round() * EPOCH_MEMBER_SLOTS + index + 1;
    }
}
