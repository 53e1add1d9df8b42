package io.dtxlab.core.paxos;

import java.util.List;

/**
 * Everything Paxos nodes say to each other. Every message names its sender and its receiver; the transport only
 * carries it. Times ({@code sentAt}) are the leader's (or candidate's) own clock and are only ever compared with
 * that same clock when echoed back.
 *
 * <pre>{@code
 * PaxosMessage (sealed)
 *  |- PreVote      pre-cand. -> all  "would you promise ballot b?" (no state changes; see PaxosNode)
 *  |- PreVoteReply acceptor -> pre-c. "yes" only if it would promise b and backs no live leader
 *  |- Prepare   candidate -> all   phase 1a: "promise me ballot b for every slot from fromSlot on"
 *  |- Promise   acceptor -> cand.  phase 1b: "promised; here is what I accepted (and know chosen) from fromSlot on"
 *  |- Accept    leader -> all      phase 2a: values for slots; with no values it is the heartbeat that renews the
 *  |                               lease; either way it tells the followers which slots are chosen (learning)
 *  |- Accepted  acceptor -> leader phase 2b: "accepted these slots in ballot b" (and "I lack chosen slots from s on")
 *  |- Rejected  acceptor -> sender "no: I promised a higher ballot / I am inside a leader's lease / I just restarted"
 *  |- Chosen    leader -> one      catch-up: these slots are chosen, for a follower that reported it lacks them
 *  `- InstallSnapshot leader -> one  the application's state through a slot, for a follower behind the compaction
 * }</pre>
 */
public sealed interface PaxosMessage {

    String from();

    String to();

    /**
     * Before raising its ballot, a node whose election timer fired asks whether the others would promise
     * {@code ballot}; only a majority of yeses lets it send {@link Prepare}. {@code firstUnchosen} is its log position
     * (informative).
     */
    record PreVote(String from, String to, Ballot ballot, long firstUnchosen) implements PaxosMessage {
    }

    /**
     * The answer to a {@link PreVote}: {@code granted} when the sender would promise {@code ballot} now and backs
     * no live leader; {@code promised} is its promised ballot, so a refused pre-candidate learns how high to go.
     * {@code grantableIn} (milliseconds, a duration so that clocks need not agree): when only time stood in the way
     * (it heard a leader, granted a lease or another pre-vote, or restarted too recently), how long until it would
     * grant; 0 otherwise. A refused pre-candidate asks again then, instead of a whole new election timeout later.
     */
    record PreVoteReply(String from, String to, Ballot ballot, boolean granted, Ballot promised, long grantableIn)
            implements PaxosMessage {
    }

    /** Phase 1a, sent once per leadership: one promise covers every slot from {@code fromSlot} on. */
    record Prepare(String from, String to, Ballot ballot, long fromSlot) implements PaxosMessage {
    }

    /**
     * Phase 1b. {@code accepted} holds, for each slot from the prepare's {@code fromSlot} on, the value accepted in
     * the highest ballot; {@code chosen} the values this acceptor already knows to be chosen there.
     * {@code compactedThrough}: the acceptor discarded every slot up to it (all chosen and applied; 0 if none). A
     * candidate counts the promise only when that is below its {@code fromSlot}: the acceptor could not report what
     * it accepted in a discarded slot, so such a promise could hide a chosen value.
     */
    record Promise(String from, String to, Ballot ballot, List<AcceptedValue> accepted, List<SlotValue> chosen,
            long compactedThrough) implements PaxosMessage {

        public Promise {
            accepted = List.copyOf(accepted);
            chosen = List.copyOf(chosen);
        }

        /** A promise from an acceptor that compacted nothing. */
        public Promise(String from, String to, Ballot ballot, List<AcceptedValue> accepted, List<SlotValue> chosen) {
            this(from, to, ballot, accepted, chosen, 0);
        }
    }

    /**
     * Phase 2a and heartbeat. {@code firstUnchosen} is the leader's log position: every slot below it is chosen, so a
     * follower learns there the values it accepted in this same ballot, and can tell it is behind (see
     * {@link PaxosNode}, learning); {@code sentAt} is echoed in the answer and dates the lease it renews.
     */
    record Accept(String from, String to, Ballot ballot, List<SlotValue> entries, long firstUnchosen, long sentAt)
            implements PaxosMessage {

        public Accept {
            entries = List.copyOf(entries);
        }

        public boolean isHeartbeat() {
            return entries.isEmpty();
        }
    }

    /**
     * Phase 2b: the slots accepted in {@code ballot} and the echoed {@code sentAt}. {@code missingFrom} is the
     * acceptor's first unchosen slot when that is behind the leader's as of the accept (the leader then sends it the
     * chosen values it lacks), 0 when it is not behind.
     */
    record Accepted(String from, String to, Ballot ballot, List<Long> slots, long sentAt, long missingFrom)
            implements PaxosMessage {

        public Accepted {
            slots = List.copyOf(slots);
        }
    }

    /** Why an acceptor said no. */
    enum Refusal {
        /** It has promised a higher ballot ({@code promised}). */
        OUTDATED_BALLOT,
        /** It heard a leader ({@code leaseHolder}) within the lease it granted, and promises nobody else yet. */
        INSIDE_LEASE,
        /** It restarted less than a lease duration ago and may have granted a lease it forgot. */
        RESTARTING
    }

    /** A refused prepare or accept of ballot {@code ballot}. */
    record Rejected(String from, String to, Ballot ballot, Refusal refusal, Ballot promised, String leaseHolder)
            implements PaxosMessage {
    }

    /**
     * Catch-up: chosen values, for a follower that reported it lacks them ({@link Accepted#missingFrom()}); followers
     * learn the rest from the accepts' {@link Accept#firstUnchosen()}.
     */
    record Chosen(String from, String to, List<SlotValue> entries) implements PaxosMessage {

        public Chosen {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Catch-up below the compaction point: the sender's applied state as of {@code lastSlot} (every slot up to it
     * chosen and applied), for a follower that lacks slots the sender discarded. The node asks for it
     * ({@link Ready.Outbox#snapshotsTo()}) but cannot build it: the adapter serialises its application's state
     * ({@code snapshot}, opaque here), sends it, and on the receiving side installs it durably in the application
     * and then calls {@link PaxosNode#snapshotInstalled}. {@link PaxosNode#step} ignores it.
     */
    record InstallSnapshot(String from, String to, long lastSlot, String snapshot) implements PaxosMessage {

        public InstallSnapshot {
            if (lastSlot < 1) {
                throw new IllegalArgumentException("a snapshot covers slot 1 at least: " + lastSlot);
            }
        }
    }
}
