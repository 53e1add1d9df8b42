package io.dtxlab.platform.messaging;

import java.time.Instant;

/**
 * One message between two nodes, as the sender saw it.
 *
 * @param seq this node's sequence number of the message
 * @param sentAt when it was sent
 * @param from the sending node
 * @param to the receiving node
 * @param kind the protocol's word for it: prepare, vote, commit, accept, replicate, ping...
 * @param scope the transaction id or key it is about, if any
 * @param latencyMs from send to answer (or to failure)
 * @param outcome how it ended
 * @param status the HTTP status of the answer, 0 when there was none
 */
public record MessageRecord(long seq, Instant sentAt, String from, String to, String kind, String scope,
        long latencyMs, MessageOutcome outcome, int status) {
}
