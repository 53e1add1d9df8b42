package io.dtxlab.contract;

import java.util.List;

/**
 * The answers to a {@link BeginBatch}, one per begin, in the same order (answered 200 once every transaction of the
 * batch may be answered). A begin that failed on its own (unknown participant, the coordinator lost its leadership
 * meanwhile) has {@link TransactionAnswer#failure()}; the others are unaffected.
 */
public record BeginBatchReply(List<TransactionAnswer> answers) {
}
