package io.dtxlab.contract;

import io.dtxlab.core.commit.participant.BranchCommand;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import tools.jackson.databind.JsonNode;

/**
 * One coordinator message about one branch.
 *
 * @param xid the global transaction
 * @param command PREPARE, COMMIT or ABORT (2PC); CAN_COMMIT, PRE_COMMIT, COMMIT (do-commit) or ABORT (3PC); APPLY
 *        (NONE)
 * @param coordinator the sending coordinator's node id
 * @param epoch its epoch (the Paxos ballot it leads with); the participant refuses older ones
 * @param protocol {@code 2PC}, {@code 3PC} or {@code NONE}
 * @param payload this branch's part of the work (prepare, can-commit, apply; abort carries it too, for an empty
 *        rollback); null otherwise
 * @param reason why the transaction aborted (abort); else null
 */
public record BranchMessage(@NotBlank String xid, @NotNull BranchCommand command, @NotBlank String coordinator,
        @PositiveOrZero long epoch, @NotBlank String protocol, JsonNode payload, String reason) {
}
