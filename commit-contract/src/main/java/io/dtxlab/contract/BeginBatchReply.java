package io.dtxlab.contract;

import java.util.List;

/**
 * The answers to a {@link BeginBatch}, one per begin, in the same order (answered 200 once every transaction of the
 * batch may be answered). A begin that failed on its own (it names an unknown participant, say) has
 * {@link TransactionAnswer#failure()}; the others are unaffected.
 */
public record BeginBatchReply(List<TransactionAnswer> answers) {
}
