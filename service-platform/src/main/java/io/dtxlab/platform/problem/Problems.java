package io.dtxlab.platform.problem;

import io.dtxlab.platform.fault.InjectedFaultException;
import io.dtxlab.platform.fault.NodeCrashedException;
import io.dtxlab.platform.messaging.ClusterCallException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;
import tools.jackson.core.JacksonException;

/**
 * The problem detail (RFC 9457) each of our exceptions is answered with, whichever transport carried the request:
 * the platform's exception handling over HTTP and the peer links both answer through here, so a message gets the
 * same status and body either way.
 */
public final class Problems {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    /**
     * The problem for {@code error}: an {@link ErrorResponse}'s own (e.g. a follower's not-leader 503, a validation
     * 400); 500 {@code Injected fault} with {@code faultPoint}; 503 {@code Node crashed}; a failed call to a peer's
     * status with {@code peer} and {@code outcome}; 400 for an {@link IllegalArgumentException} and for constraint
     * violations; else 500 {@code Internal error}, logged with its stack trace.
     */
    public static ProblemDetail of(Throwable error) {
        if (error instanceof ErrorResponse response) {
            return response.getBody();
        }
        if (error instanceof InjectedFaultException ex) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, ex.getMessage());
            problem.setTitle("Injected fault");
            problem.setType(ProblemTypes.INJECTED_FAULT);
            problem.setProperty("faultPoint", ex.point());
            return problem;
        }
        if (error instanceof NodeCrashedException ex) {
            // the crash is the point: no stack trace
            log.warn(ex.getMessage());
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
            problem.setTitle("Node crashed");
            return problem;
        }
        if (error instanceof ClusterCallException ex) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
            problem.setTitle(ex.title());
            problem.setType(ProblemTypes.PEER_UNREACHABLE);
            problem.setProperty("peer", ex.peer());
            problem.setProperty("outcome", ex.outcome());
            return problem;
        }
        if (error instanceof IllegalArgumentException ex) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
            problem.setTitle("Bad request");
            return problem;
        }
        if (error instanceof ConstraintViolationException ex) {
            return violations(ex.getConstraintViolations(), true);
        }
        log.error("unexpected error", error);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "unexpected " + error.getClass().getSimpleName() + ": " + error.getMessage());
        problem.setTitle("Internal error");
        return problem;
    }

    /**
     * The 400 validation problem listing {@code violations}, each field named by its path in the request
     * ({@code messages[2].xid}), or by its last segment only when {@code lastSegment} (a method parameter's
     * violation, whose path begins with the method's name).
     */
    public static ProblemDetail violations(Collection<? extends ConstraintViolation<?>> violations,
            boolean lastSegment) {
        List<Map<String, Object>> errors = violations.stream()
                .map(v -> ValidationProblem.error(
                        lastSegment ? lastNode(v.getPropertyPath().toString()) : v.getPropertyPath().toString(),
                        v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName(),
                        v.getMessage(), v.getInvalidValue()))
                .toList();
        return ValidationProblem.of(errors);
    }

    /** The 400 for a body Jackson could not read, as {@link ValidationProblem} words it over HTTP. */
    public static ProblemDetail unreadable(JacksonException error) {
        return ValidationProblem.unreadable(error);
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
