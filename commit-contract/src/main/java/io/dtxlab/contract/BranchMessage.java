package io.dtxlab.contract;

import io.dtxlab.core.commit.participant.BranchCommand;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/**
 * One coordinator message about one branch. In a {@link BranchBatch} it travels whole; on a single-message path
 * ({@link CommitPaths#branch}) the xid and command are in the path and the rest is the {@link BranchMessageBody}.
 *
 * @param xid the global transaction (at most 64 letters, digits, '.', '_' or '-', as {@link BeginTransaction})
 * @param command PREPARE, COMMIT or ABORT (2PC); CAN_COMMIT, PRE_COMMIT, COMMIT (do-commit) or ABORT (3PC); APPLY
 *        (NONE); TRY, CONFIRM or CANCEL (TCC); APPLY or COMPENSATE (SAGA), and TRY, CONFIRM or CANCEL for a saga
 *        step that takes a semantic lock
 * @param coordinator the sending coordinator's node id
 * @param epoch its epoch (the Paxos ballot it leads with); the participant refuses older ones
 * @param protocol {@code 2PC}, {@code 3PC}, {@code NONE}, {@code TCC} or {@code SAGA}
 * @param payload this branch's part of the work (prepare, can-commit, apply; abort carries it too, for an empty
 *        rollback); null otherwise
 * @param reason why the transaction aborted (abort); else null
 */
public record BranchMessage(
        @NotBlank @Size(max = 64) @Pattern(regexp = CommitPaths.XID, message = "letters, digits, '.', '_' and '-' only") String xid,
        @NotNull BranchCommand command,
        @NotBlank String coordinator,
        @PositiveOrZero long epoch,
        @NotBlank @Pattern(regexp = CommitPaths.PROTOCOLS, message = "must be 2PC, 3PC, NONE, TCC or SAGA") String protocol,
        JsonNode payload,
        String reason) {

    /** What the single-message path carries in its body: everything but the xid and the command. */
    public BranchMessageBody body() {
        return new BranchMessageBody(coordinator, epoch, protocol, payload, reason);
    }
}
