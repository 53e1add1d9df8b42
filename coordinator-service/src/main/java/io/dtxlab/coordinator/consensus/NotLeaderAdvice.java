package io.dtxlab.coordinator.consensus;

import io.dtxlab.contract.NotLeaderProblem;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A coordinator that does not lead answers 503 and names the leader it knows, so callers go there. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class NotLeaderAdvice {

    @ExceptionHandler(NotLeaderException.class)
    ResponseEntity<ProblemDetail> notLeader(NotLeaderException e) {
        ProblemDetail problem = NotLeaderProblem.of(e.leaderHint(), e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(problem);
    }
}
