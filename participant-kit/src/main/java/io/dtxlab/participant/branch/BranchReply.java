package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Reply;

/**
 * The participant's answer: a vote to prepare, an acknowledgement to commit and abort.
 *
 * @param state the branch's state after the message (null if the participant never heard of it)
 * @param reason why NO (or why a duplicate changed nothing)
 */
public record BranchReply(String xid, String participant, Reply reply, BranchState state, String reason) {
}
