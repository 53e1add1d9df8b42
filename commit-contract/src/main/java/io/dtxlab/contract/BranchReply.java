package io.dtxlab.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Reply;

/**
 * A participant's answer to one {@link BranchMessage}: a vote (VOTE_YES, VOTE_NO) to prepare and can-commit; ACK to
 * pre-commit, commit, abort and apply (VOTE_NO for an apply refused); STALE when a newer coordinator epoch fences the
 * sender; CONFLICT when the message contradicts the branch's outcome; BUSY to a saga's locking try that finds what it
 * needs held only by unfinished transactions (nothing stored: the coordinator tries again).
 * <p>
 * In a {@link BranchBatchReply} only, {@code reply} is null when handling this one message failed (an injected
 * ERROR fault, a database error): its local transaction rolled back, or (a fault after the vote was persisted) it
 * committed but the answer is lost. The sender treats it exactly as a lost message, as it treats a 5xx answer on the
 * single-message path; {@code reason} says what failed.
 *
 * @param xid the transaction
 * @param participant the answering participant's node id
 * @param reply the answer; null: this message failed (batch only, see above)
 * @param state the branch's state after the message (null if the participant never heard of it, or on failure)
 * @param reason why NO, STALE, CONFLICT or a failure (or why a duplicate changed nothing); else null
 */
public record BranchReply(String xid, String participant, Reply reply, BranchState state, String reason) {

    /** The reply to a message whose handling failed (batch only): the sender treats it as lost. */
    public static BranchReply failed(String xid, String participant, String reason) {
        return new BranchReply(xid, participant, null, null, reason);
    }

    /** STALE or CONFLICT: the participant refused the message; resending it will not help. */
    @JsonIgnore
    public boolean isRefusal() {
        return reply == Reply.STALE || reply == Reply.CONFLICT;
    }

    /** Handling the message failed at the participant (no reply): treat it as lost; a resend may succeed. */
    @JsonIgnore
    public boolean isFailure() {
        return reply == null;
    }
}
