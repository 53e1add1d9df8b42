package io.dtxlab.contract;

import java.util.List;

/**
 * The replies to a {@link BranchBatch}, one per message, in the same order (answered 200). Refusals (STALE,
 * CONFLICT) are replies here, not errors; so is a message that failed on its own ({@link BranchReply#isFailure()}).
 */
public record BranchBatchReply(List<BranchReply> replies) {
}
