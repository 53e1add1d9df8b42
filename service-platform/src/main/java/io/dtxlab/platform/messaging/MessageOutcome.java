package io.dtxlab.platform.messaging;

/** How a message between two nodes ended, as the sender saw it. */
public enum MessageOutcome {
    /** The peer answered 2xx. */
    DELIVERED,
    /** The peer answered 4xx: it refused the message (a NO, a stale ballot, bad input). */
    REFUSED,
    /** The peer answered 5xx. */
    FAILED,
    /** No answer within the read timeout. */
    TIMEOUT,
    /** The peer could not be reached (connection refused, unknown host): the message never arrived. */
    UNREACHABLE,
    /** The message left, but the connection broke before an answer (the peer crashed mid-request?). */
    CONNECTION_LOST,
    /** A partition lies between the two nodes. */
    PARTITIONED,
    /** A DROP fault lost the request before it left, or the reply after the peer did the work. */
    DROPPED,
    /** An ERROR fault failed the send. */
    INJECTED_ERROR,
    /**
     * A datagram left ({@link PeerDatagrams}): it awaits no answer, so whether it arrived is not known here; an answer,
     * if the protocol has one, is a datagram of its own.
     */
    SENT
}
