package io.dtxlab.contract;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Reply;

/**
 * A participant's answer to one {@link BranchMessage}: a vote (VOTE_YES, VOTE_NO) to prepare and can-commit; ACK to
 * pre-commit, commit, abort and apply (VOTE_NO for an apply refused); STALE when a newer coordinator epoch fences the
 * sender; CONFLICT when the message contradicts the branch's outcome.
 *
 * @param state the branch's state after the message (null if the participant never heard of it)
 * @param reason why NO, STALE or CONFLICT (or why a duplicate changed nothing); else null
 */
public record BranchReply(String xid, String participant, Reply reply, BranchState state, String reason) {

    /** STALE or CONFLICT: the participant refused the message; resending it will not help. */
    public boolean isRefusal() {
        return reply == Reply.STALE || reply == Reply.CONFLICT;
    }
}
