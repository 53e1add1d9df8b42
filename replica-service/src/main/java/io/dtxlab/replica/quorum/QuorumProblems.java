package io.dtxlab.replica.quorum;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The problem details of quorum requests that could not be done. */
final class QuorumProblems {

    static final URI NOT_REACHED = URI.create("urn:dtx:problem:quorum-not-reached");
    static final URI TOO_FEW_REPLICAS = URI.create("urn:dtx:problem:quorum-too-few-replicas");

    private QuorumProblems() {
    }

    /** Fewer replicas answered than the request waits for: 503 (some failed) or 504 (time ran out). */
    static ErrorResponseException notReached(String operation, String key, String knob, int required,
            List<String> answered, Map<String, String> failed, boolean timedOut) {
        HttpStatus status = timedOut ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.SERVICE_UNAVAILABLE;
        String detail = operation + " of key '" + key + "' needs " + knob + "=" + required + " replicas but "
                + answered.size() + " answered " + answered
                + (failed.isEmpty() ? "" : "; no answer from " + failed)
                + (timedOut ? "; the others did not answer in time" : "")
                + (operation.equals("write") && !answered.isEmpty()
                        ? ". The replicas that answered keep the write (a quorum write is not rolled back): a later "
                                + "read may return it"
                        : "");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(capitalised(operation) + " quorum not reached");
        problem.setType(NOT_REACHED);
        problem.setProperty("key", key);
        problem.setProperty("required", required);
        problem.setProperty("answered", answered);
        problem.setProperty("failed", failed);
        return new ErrorResponseException(status, problem, null);
    }

    /** The ring has fewer replicas than N: no preference list can be made. */
    static ErrorResponseException tooFewReplicas(int n, int replicas) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "N=" + n
                + " replicas per key, but the cluster has only " + replicas + " replica node(s): start more replicas "
                + "(./dtx up --replicas " + n + ") or set dtx.quorum.n");
        problem.setTitle("Too few replicas for N");
        problem.setType(TOO_FEW_REPLICAS);
        return new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
    }

    private static String capitalised(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
