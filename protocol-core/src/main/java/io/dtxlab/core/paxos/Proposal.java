package io.dtxlab.core.paxos;

import java.util.List;

/**
 * The answer to {@link PaxosNode#propose}: the slots the values were given (phase 2 is under way), or a refusal that
 * names the leader this node knows of, so the caller can go there. A slot is no promise: the value is decided only
 * when it comes out of an {@link Ready.Outbox#send apply} list at that slot. If leadership changed in between, a
 * different value (or a no-op) may be chosen there, and the caller proposes again.
 *
 * @param slots the slots, one per proposed value, in order; empty when refused
 * @param ballot the ballot they were proposed in (the epoch to fence with)
 * @param leaderHint when refused: the leader this node knows of, or {@code null}
 * @param reason when refused: why
 * @param ready what to persist, send and apply (handle it even when refused)
 */
public record Proposal(List<Long> slots, Ballot ballot, String leaderHint, String reason, Ready ready) {

    public Proposal {
        slots = List.copyOf(slots);
    }

    public boolean accepted() {
        return !slots.isEmpty();
    }
}
