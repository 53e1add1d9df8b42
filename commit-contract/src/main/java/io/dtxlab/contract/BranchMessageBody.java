package io.dtxlab.contract;

import io.dtxlab.core.commit.participant.BranchCommand;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import tools.jackson.databind.JsonNode;

/**
 * The body of a single-message path ({@link CommitPaths#branch}, e.g. {@code POST /internal/branches/tx-1/prepare}):
 * a {@link BranchMessage} without its xid and command, which the path names. JSON:
 * {@code {"coordinator":"coordinator-1","epoch":1001,"protocol":"2PC","payload":{…},"reason":null}}.
 *
 * @param coordinator the sending coordinator's node id
 * @param epoch its epoch; the participant refuses older ones (409, reply STALE)
 * @param protocol {@code 2PC}, {@code 3PC} or {@code NONE}
 * @param payload this branch's part of the work (prepare, can-commit, apply; abort may carry it, for an empty
 *        rollback)
 * @param reason why the transaction aborted (abort)
 */
public record BranchMessageBody(
        @Schema(example = "coordinator-1") @NotBlank String coordinator,
        @Schema(example = "1001") @PositiveOrZero long epoch,
        @Schema(example = "2PC") @NotBlank @Pattern(regexp = CommitPaths.PROTOCOLS, message = "must be 2PC, 3PC, NONE, TCC or SAGA") String protocol,
        JsonNode payload,
        String reason) {

    /** The whole message, with the xid and command the path names. */
    public BranchMessage toMessage(String xid, BranchCommand command) {
        return new BranchMessage(xid, command, coordinator, epoch, protocol, payload, reason);
    }
}
