package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.participant.BranchCommand;

/**
 * A message the coordinator sends to one participant about its transaction.
 *
 * @param participant the participant's node id
 * @param command what to do; {@code null} for a state request (3PC termination: "what state is your branch in?")
 * @param phase the phase the answer belongs to (its answer comes back as an input of that phase)
 * @param reason why, for an ABORT (shown in the participant's branch and logs); else null
 * @param attempt 1 for the first send, higher for a resend of phase 2
 */
public record BranchRequest(String participant, BranchCommand command, Phase phase, String reason, int attempt) {

    public boolean isStateRequest() {
        return command == null;
    }
}
