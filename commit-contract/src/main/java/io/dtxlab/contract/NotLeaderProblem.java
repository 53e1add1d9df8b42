package io.dtxlab.contract;

import java.net.URI;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A coordinator that does not lead answers 503 with this problem type and, when it knows one, the leader's node id
 * in the {@code leader} property, so the caller goes there (RFC 9457 extension member).
 */
public final class NotLeaderProblem {

    public static final URI TYPE = URI.create("urn:dtx:problem:not-leader");
    public static final String LEADER = "leader";

    private NotLeaderProblem() {
    }

    /**
     * The problem a follower answers with: 503, this type, title "Not the leader", and {@code leader} when known.
     * JSON: {@code {"type":"urn:dtx:problem:not-leader","title":"Not the leader","status":503,"detail":"…",
     * "leader":"coordinator-2"}}.
     *
     * @param leader the node id of the coordinator this one believes leads, or null if it knows none
     */
    public static ProblemDetail of(String leader, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setType(TYPE);
        problem.setTitle("Not the leader");
        if (leader != null) {
            problem.setProperty(LEADER, leader);
        }
        return problem;
    }

    /** Whether {@code problem} is this type. */
    public static boolean is(ProblemDetail problem) {
        return problem != null && TYPE.equals(problem.getType());
    }

    /** The leader it names, if it is this type and names one. */
    public static Optional<String> leader(ProblemDetail problem) {
        if (!is(problem) || problem.getProperties() == null) {
            return Optional.empty();
        }
        Object leader = problem.getProperties().get(LEADER);
        return leader instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }
}
