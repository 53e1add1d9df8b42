package io.dtxlab.contract;

import java.util.List;

/** The replies to a {@link BranchBatch}, one per message, in the same order. Refusals are replies here, not errors. */
public record BranchBatchReply(List<BranchReply> replies) {
}
