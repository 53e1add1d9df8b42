package io.dtxlab.core.paxos;

/**
 * What a node knows about the group, for {@code GET /cluster} and for fencing.
 *
 * @param self this node
 * @param role its role
 * @param leader the node it believes leads (itself when leading), or {@code null} when it knows none
 * @param ballot that leader's ballot ({@link Ballot#ZERO} when none)
 * @param epoch the ballot as one number ({@link PaxosConfig#epoch}): the fencing token for 2PC participants
 * @param leaseValid whether this node leads and holds a valid lease now
 * @param leaseExpiry when this node's own lease ends, by its clock (0 when it does not lead)
 * @param caughtUp whether this node leads and has chosen and handed out every slot earlier leaders may have used
 *        ({@link PaxosNode#caughtUp})
 * @param promised the highest ballot this node's acceptor promised
 * @param firstUnchosen the lowest slot not known to be chosen (every slot below it is chosen and applied)
 * @param lastChosen the highest slot known to be chosen (0 when none)
 * @param compactedThrough the last slot this node discarded from its log (0 when none): a follower that lacks a slot
 *        up to it is sent a snapshot instead
 */
public record PaxosStatus(String self, Role role, String leader, Ballot ballot, long epoch, boolean leaseValid,
        long leaseExpiry, boolean caughtUp, Ballot promised, long firstUnchosen, long lastChosen,
        long compactedThrough) {
}
