package io.dtxlab.platform.problem;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

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
     * A body Jackson could not read. When Jackson knows where (a value of the wrong JSON type, refused by the rules
     * of {@code io.dtxlab.platform.json.StrictJson}), a validation problem naming that field with rule {@code type}
     * and a message such as {@code must be a JSON integer, not 2.5} or {@code must be a JSON string, not 42};
     * otherwise (broken JSON, no body) a plain 400 titled {@code Bad request} saying why.
     */
    static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
        return unreadable(ex.getMostSpecificCause());
    }

    /** As {@link #unreadable(HttpMessageNotReadableException)}, for the cause itself. */
    static ProblemDetail unreadable(Throwable cause) {
        if (cause instanceof JacksonException json && !json.getPath().isEmpty()) {
            return of(List.of(error(field(json.getPath()), "type", typeMessage(json), null)));
        }
        String why = cause instanceof JacksonException json ? json.getOriginalMessage() : cause.getMessage();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "unreadable JSON body: " + why);
        problem.setTitle("Bad request");
        return problem;
    }

    /**
     * A query or path parameter that does not convert to its type: a validation problem naming it with rule
     * {@code type}, e.g. {@code 'limit' must be an integer, not '2.5'}.
     */
    static ProblemDetail mistyped(String parameter, Class<?> type, Object value) {
        String expected = expected(type, false);
        String message = (expected == null ? "has the wrong type" : expected) + ", not '" + value + "'";
        return of(List.of(error(parameter, "type", message, null)));
    }

    /** What the value should have been, and what it was where Jackson tells. */
    private static String typeMessage(JacksonException ex) {
        if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = expected(mismatch.getTargetType(), true);
            if (expected != null) {
                String shown = shown(mismatch instanceof InvalidFormatException format ? format.getValue() : null,
                        mismatch.getCurrentToken());
                return shown == null ? expected : expected + ", not " + shown;
            }
        }
        return ex.getOriginalMessage();
    }

    private static String expected(Class<?> type, boolean json) {
        if (type == Boolean.class || type == boolean.class) {
            return "must be true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == Byte.class || type == byte.class
                || type == BigInteger.class) {
            return json ? "must be a JSON integer" : "must be an integer";
        }
        if (type == BigDecimal.class || type == Double.class || type == double.class || type == Float.class
                || type == float.class || type == Number.class) {
            return json ? "must be a JSON number" : "must be a number";
        }
        if (type == String.class) {
            return json ? "must be a JSON string" : null;
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
        }
        return null;
    }

    /** The refused JSON value where Jackson kept it ({@code 2.5}, {@code the string "3"}), else its kind. */
    private static String shown(Object value, JsonToken token) {
        if (value instanceof String string) {
            return "the string \"" + string + "\"";
        }
        if (value != null) {
            return value instanceof BigDecimal decimal ? decimal.toPlainString() : String.valueOf(value);
        }
        if (token == null) {
            return null;
        }
        return switch (token) {
            case START_ARRAY -> "a JSON array";
            case START_OBJECT -> "a JSON object";
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a fraction";
            default -> null;
        };
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
