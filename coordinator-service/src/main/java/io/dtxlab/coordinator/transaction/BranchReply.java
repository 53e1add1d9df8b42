package io.dtxlab.coordinator.transaction;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A participant's answer: {@code reply} is VOTE_YES, VOTE_NO or ACK (the participant kit's contract). */
@JsonIgnoreProperties(ignoreUnknown = true)
record BranchReply(String xid, String participant, String reply, String state, String reason) {
}
