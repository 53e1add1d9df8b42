package io.dtxlab.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a coordinator's answer to {@link BeginTransaction} tells its caller (the full answer is the coordinator's
 * transaction view; a caller reads what it needs).
 *
 * @param decision COMMIT or ABORT (NONE: also PARTIAL); null while not decided
 * @param reason why, for anything but a clean COMMIT
 * @param coordinator the coordinator that ran it
 * @param messages the protocol's logical messages so far (prepare, votes, decision, acknowledgements)
 * @param failure in a {@link BeginBatchReply} only: why this begin failed on its own (nothing else is then set); a
 *        caller begins it alone to get the full answer, such as a follower's {@link NotLeaderProblem}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TransactionAnswer(String xid, String decision, String reason, String coordinator, Integer messages,
        String failure) {

    /** A begin of a batch that failed on its own. */
    public static TransactionAnswer failed(String xid, String failure) {
        return new TransactionAnswer(xid, null, null, null, null, failure);
    }
}
