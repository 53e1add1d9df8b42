package io.dtxlab.platform.problem;

import io.dtxlab.platform.fault.InjectedFaultException;
import io.dtxlab.platform.fault.NodeCrashedException;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.web.RequestBodyLimit;
import jakarta.validation.ConstraintViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every exception into an RFC 9457 problem detail. Spring's own exceptions (bad JSON, wrong
 * method, unknown path) get theirs from the base class; validation errors, and values of the wrong JSON type,
 * list each field and rule ({@link ValidationProblem}).
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (FieldError error : ex.getBindingResult().getFieldErrors()) {
            errors.add(ValidationProblem.error(error.getField(), rule(error), error.getDefaultMessage(),
                    error.getRejectedValue()));
        }
        ex.getBindingResult().getGlobalErrors().forEach(error ->
                errors.add(ValidationProblem.error(error.getObjectName(), rule(error), error.getDefaultMessage(),
                        null)));
        return ResponseEntity.badRequest().headers(headers).body(ValidationProblem.of(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(error -> {
            String field = result.getMethodParameter().getParameterName();
            if (error instanceof FieldError fieldError) {
                field = field + "." + fieldError.getField();
            }
            errors.add(ValidationProblem.error(field, rule(error), error.getDefaultMessage(), result.getArgument()));
        }));
        return ResponseEntity.badRequest().headers(headers).body(ValidationProblem.of(errors));
    }

    /** A body Jackson could not read: a validation problem naming the field where Jackson knows it. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestBodyLimit.RequestBodyTooLargeException tooLarge = tooLarge(ex);
        if (tooLarge != null) {
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).headers(headers).body(tooLarge(tooLarge));
        }
        return ResponseEntity.badRequest().headers(headers).body(ValidationProblem.unreadable(ex));
    }

    /** A chunked body read past the limit, where a reader did not wrap it in an unreadable-message error. */
    @ExceptionHandler(RequestBodyLimit.RequestBodyTooLargeException.class)
    ResponseEntity<ProblemDetail> bodyTooLarge(RequestBodyLimit.RequestBodyTooLargeException ex) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(ex));
    }

    private static ProblemDetail tooLarge(RequestBodyLimit.RequestBodyTooLargeException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, ex.getMessage());
        problem.setTitle("Content Too Large");
        problem.setType(ProblemTypes.of(HttpStatus.CONTENT_TOO_LARGE));
        return problem;
    }

    private static RequestBodyLimit.RequestBodyTooLargeException tooLarge(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyLimit.RequestBodyTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }

    /** A query or path parameter of the wrong type ({@code ?limit=2.5}): a validation problem naming it. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException argument ? argument.getName()
                : ex.getPropertyName();
        Class<?> type = ex.getRequiredType() == null ? Object.class : ex.getRequiredType();
        return ResponseEntity.badRequest().headers(headers).body(ValidationProblem.mistyped(name, type, ex.getValue()));
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ProblemDetail constraintViolation(ConstraintViolationException ex) {
        return Problems.of(ex);
    }

    @ExceptionHandler(InjectedFaultException.class)
    ProblemDetail injectedFault(InjectedFaultException ex) {
        return Problems.of(ex);
    }

    /** The node crashed at a fault point (in-JVM tests): no stack trace, the crash is the point. */
    @ExceptionHandler(NodeCrashedException.class)
    ProblemDetail crashed(NodeCrashedException ex) {
        return Problems.of(ex);
    }

    @ExceptionHandler(ClusterCallException.class)
    ProblemDetail clusterCall(ClusterCallException ex) {
        return Problems.of(ex);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badArgument(IllegalArgumentException ex) {
        return Problems.of(ex);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        RequestBodyLimit.RequestBodyTooLargeException tooLarge = tooLarge(ex);
        if (tooLarge != null) {
            return bodyTooLarge(tooLarge);
        }
        return ResponseEntity.internalServerError().body(Problems.of(ex));
    }

    /** The constraint's name, e.g. {@code Positive} or {@code NotBlank}. */
    private static String rule(MessageSourceResolvable error) {
        String[] codes = error.getCodes();
        return codes == null || codes.length == 0 ? "invalid" : codes[codes.length - 1];
    }

}
