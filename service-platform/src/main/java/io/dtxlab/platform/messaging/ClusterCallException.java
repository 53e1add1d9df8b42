package io.dtxlab.platform.messaging;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A message to a peer that did not get a 2xx answer. {@link #outcome()} tells why: the peer refused
 * it, failed, never answered, could not be reached, or a fault or partition stood in the way.
 */
public class ClusterCallException extends RuntimeException {

    private final String peer;
    private final MessageOutcome outcome;
    private final int peerStatus;
    private final transient ProblemDetail peerProblem;

    public ClusterCallException(String peer, String kind, MessageOutcome outcome, int peerStatus,
            ProblemDetail peerProblem, Throwable cause) {
        super(describe(peer, kind, outcome, peerStatus, peerProblem), cause);
        this.peer = peer;
        this.outcome = outcome;
        this.peerStatus = peerStatus;
        this.peerProblem = peerProblem;
    }

    public String peer() {
        return peer;
    }

    public MessageOutcome outcome() {
        return outcome;
    }

    /** The peer's HTTP status, or 0 when it never answered. */
    public int peerStatus() {
        return peerStatus;
    }

    /** The peer's problem detail, when it answered with one. */
    public ProblemDetail peerProblem() {
        return peerProblem;
    }

    /** The status this node answers with when it cannot do its work because of this failure. */
    public HttpStatus status() {
        return switch (outcome) {
            case TIMEOUT, DROPPED, CONNECTION_LOST -> HttpStatus.GATEWAY_TIMEOUT;
            case UNREACHABLE, PARTITIONED -> HttpStatus.SERVICE_UNAVAILABLE;
            default -> HttpStatus.BAD_GATEWAY;
        };
    }

    public String title() {
        return "Peer " + outcome.name().toLowerCase().replace('_', ' ');
    }

    private static String describe(String peer, String kind, MessageOutcome outcome, int status, ProblemDetail problem) {
        String base = kind + " to " + peer + ": ";
        return base + switch (outcome) {
            case REFUSED, FAILED -> peer + " answered " + status + (problem != null && problem.getDetail() != null
                    ? " (" + problem.getDetail() + ")" : "");
            case TIMEOUT -> "no answer within the read timeout";
            case CONNECTION_LOST -> "the connection broke before " + peer + " answered";
            case UNREACHABLE -> peer + " cannot be reached";
            case PARTITIONED -> "a partition separates this node from " + peer;
            case DROPPED -> "the message was dropped by an injected fault";
            case INJECTED_ERROR -> "an injected error failed the send";
            case DELIVERED -> "delivered";
            case SENT -> "sent as a datagram";
        };
    }
}
