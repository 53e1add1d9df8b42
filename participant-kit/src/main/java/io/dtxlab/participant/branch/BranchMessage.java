package io.dtxlab.participant.branch;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import tools.jackson.databind.JsonNode;

/**
 * What the coordinator sends with prepare, commit and abort.
 *
 * @param coordinator the sending coordinator's node id
 * @param epoch its epoch (ballot); the participant refuses older ones
 * @param protocol {@code 2PC}, {@code 3PC} or {@code NONE}
 * @param payload this branch's part of the work (prepare, can-commit, apply; abort carries it too, for an empty
 *        rollback)
 * @param reason why the transaction aborted (abort)
 */
public record BranchMessage(@NotBlank String coordinator, @PositiveOrZero long epoch, String protocol,
        JsonNode payload, String reason) {
}
