package io.dtxlab.replica.replication;

import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The problem details replication answers with; each names the replica, the master and the epoch it is about. */
final class ReplicationProblems {

    static final URI WRITES_REFUSED = URI.create("urn:dtx:problem:writes-refused");
    static final URI STALE_EPOCH = URI.create("urn:dtx:problem:stale-epoch");
    static final URI REPLICA_BEHIND = URI.create("urn:dtx:problem:replica-behind");
    static final URI LOG_GAP = URI.create("urn:dtx:problem:log-gap");
    static final URI NO_SUCH_KEY = URI.create("urn:dtx:problem:no-such-key");
    static final URI NOT_MASTER = URI.create("urn:dtx:problem:not-master");

    private ReplicationProblems() {
    }

    static ErrorResponseException of(HttpStatus status, URI type, String title, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type);
        problem.setTitle(title);
        properties.forEach(problem::setProperty);
        return new ErrorResponseException(status, problem, null);
    }

    /** Whether a peer refused a message because a master of an epoch newer than {@code myEpoch} exists. */
    static boolean isNewerEpoch(io.dtxlab.platform.messaging.ClusterCallException e, long myEpoch) {
        ProblemDetail problem = e.peerProblem();
        if (problem == null || !STALE_EPOCH.equals(problem.getType()) || problem.getProperties() == null) {
            return false;
        }
        return problem.getProperties().get("epoch") instanceof Number epoch && epoch.longValue() > myEpoch
                && problem.getProperties().get("master") instanceof String;
    }

    static ErrorResponseException writesRefused(String detail, Map<String, Object> properties) {
        return of(HttpStatus.SERVICE_UNAVAILABLE, WRITES_REFUSED, "Writes refused", detail, properties);
    }
}
