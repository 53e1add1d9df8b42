package io.dtxlab.contract;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A request to run one global transaction ({@link CommitPaths#TRANSACTIONS}).
 *
 * @param xid the transaction id the caller chose; beginning the same xid again answers with that transaction
 * @param protocol {@code 2PC}, {@code 3PC} or {@code NONE}
 * @param branches one per participant
 */
public record BeginTransaction(
        @NotBlank @Size(max = 64) @Pattern(regexp = CommitPaths.XID, message = "letters, digits, '.', '_' and '-' only") String xid,
        @Schema(example = "2PC") @NotBlank String protocol,
        @NotEmpty @Size(max = 16) List<@Valid BranchSpec> branches) {
}
