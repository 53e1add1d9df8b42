package io.dtxlab.platform.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;
import tools.jackson.core.JacksonException;

/**
 * The one shape of a 400 validation problem: type {@link ProblemTypes#VALIDATION}, title {@code Validation failed},
 * detail {@code invalid request: 'field' message; …}, and {@code errors}, a list of
 * {@code {field, rule, message[, rejectedValue]}}. Bean Validation errors, bodies Jackson could not read and the
 * rules a service checks itself (e.g. a name given twice in one request) all answer in it.
 */
public final class ValidationProblem {

    private ValidationProblem() {
    }

    /**
     * A 400 naming one invalid field, for a rule Bean Validation cannot express; throw it from a controller or
     * service and the platform answers it as it is.
     *
     * @param field the field's path in the request, e.g. {@code items[3].sku}
     * @param rule the rule it broke, e.g. {@code Unique}
     * @param message what is wrong, to be read after the field's name
     * @param rejected the value refused (its {@code String.valueOf} is shown), or null to leave it out
     */
    public static ErrorResponseException invalid(String field, String rule, String message, Object rejected) {
        ProblemDetail problem = of(List.of(error(field, rule, message, rejected)));
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
    }

    /** The problem listing {@code errors}, each made by {@link #error}. */
    static ProblemDetail of(List<Map<String, Object>> errors) {
        String summary = errors.stream()
                .map(e -> "'" + e.get("field") + "' " + e.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "invalid request: " + (summary.isEmpty() ? "see errors" : summary));
        problem.setTitle("Validation failed");
        problem.setType(ProblemTypes.VALIDATION);
        problem.setProperty("errors", errors);
        return problem;
    }

    /** One entry of {@code errors}; {@code rejectedValue} only when {@code rejected} is not null. */
    static Map<String, Object> error(String field, String rule, String message, Object rejected) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("rule", rule);
        error.put("message", message);
        if (rejected != null) {
            error.put("rejectedValue", String.valueOf(rejected));
        }
        return error;
    }

    /**
     * A body Jackson could not read. When Jackson knows where (a value of the wrong JSON type, e.g. one refused by
     * {@code io.dtxlab.platform.json.StrictJson}), a validation problem naming that field with rule {@code type};
     * otherwise (broken JSON, no body) a plain 400 titled {@code Bad request} saying why.
     */
    static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof JacksonException json && !json.getPath().isEmpty()) {
            return of(List.of(error(field(json.getPath()), "type", json.getOriginalMessage(), null)));
        }
        String why = cause instanceof JacksonException json ? json.getOriginalMessage() : cause.getMessage();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "unreadable JSON body: " + why);
        problem.setTitle("Bad request");
        return problem;
    }

    /** Jackson's path as a field name: {@code items[3].available}. */
    private static String field(List<JacksonException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
