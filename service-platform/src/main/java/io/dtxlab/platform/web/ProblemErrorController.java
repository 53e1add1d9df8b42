package io.dtxlab.platform.web;

import io.dtxlab.platform.problem.ProblemTypes;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The answer to errors raised inside the web application but outside Spring MVC's exception handling: a
 * {@code sendError} by Tomcat or a filter, an exception thrown by a filter. Replaces Spring Boot's
 * {@code BasicErrorController} (HTML or a plain JSON map) with a problem detail: status, title (the reason phrase),
 * detail (the container's message when it gave one) and {@code instance} (the path that failed).
 */
@Hidden // not an operation of the API: where the container forwards its errors
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.resolve(value) : code == null ? HttpStatus.NOT_FOUND : HttpStatus.INTERNAL_SERVER_ERROR;
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String detail = detail(request, status, path);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        problem.setType(ProblemTypes.of(status));
        if (path instanceof String uri) {
            problem.setInstance(URI.create(uri.replace(" ", "%20")));
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String detail(HttpServletRequest request, HttpStatus status, Object path) {
        if (path == null) {
            return "no resource " + request.getRequestURI();
        }
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        if (message instanceof String text && !text.isBlank()) {
            return text;
        }
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
            return failure.getClass().getSimpleName() + ": " + failure.getMessage();
        }
        return status.getReasonPhrase() + ": " + request.getMethod() + " " + path;
    }
}
