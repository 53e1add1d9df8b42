package io.dtxlab.inventory.stock;

import io.dtxlab.platform.problem.ProblemTypes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Strict JSON numbers for the stocking bodies, and the 400 problems that name the field. A count must be a JSON
 * integer and a price a JSON number: Jackson would otherwise coerce {@code 2.5} to 2 and {@code "3"} to 3. Applied
 * per field with {@code @JsonDeserialize}, so the global mapper stays as it is.
 */
final class StrictJson {

    private StrictJson() {
    }

    /** A JSON integer that fits an {@code int}; a fraction, a string or a boolean is refused. */
    static final class WholeNumber extends ValueDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser p, DeserializationContext ctxt) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw MismatchedInputException.from(p, Integer.class, "must be a JSON integer, not " + shown(p));
            }
            BigInteger value = p.getBigIntegerValue();
            if (value.bitLength() > 31) {
                throw MismatchedInputException.from(p, Integer.class, "is out of range: " + value);
            }
            return value.intValue();
        }
    }

    /** A JSON number, read exactly as written (no binary floating point); a string or a boolean is refused. */
    static final class Decimal extends ValueDeserializer<BigDecimal> {
        @Override
        public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken token = p.currentToken();
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw MismatchedInputException.from(p, BigDecimal.class, "must be a JSON number, not " + shown(p));
            }
            return p.getDecimalValue();
        }
    }

    private static String shown(JsonParser p) {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return "the string \"" + p.getString() + "\"";
        }
        return token != null && token.isScalarValue() ? p.getString() : "a JSON " + (token == JsonToken.START_ARRAY ? "array" : "object");
    }

    /**
     * A body Jackson could not read, as a validation problem naming the field (e.g. {@code items[3].available}),
     * in the shape the platform gives Bean Validation errors.
     */
    static ProblemDetail unreadable(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof JacksonException json && !json.getPath().isEmpty()) {
            return fieldProblem(field(json.getPath()), "type", json.getOriginalMessage(), null);
        }
        String why = cause instanceof JacksonException json ? json.getOriginalMessage() : cause.getMessage();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "unreadable JSON body: " + why);
        problem.setTitle("Bad request");
        return problem;
    }

    /** A 400 problem naming one invalid field, in the shape of the platform's validation problems. */
    static ErrorResponseException invalid(String field, String rule, String message, Object rejected) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, fieldProblem(field, rule, message, rejected), null);
    }

    private static ProblemDetail fieldProblem(String field, String rule, String message, Object rejected) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("rule", rule);
        error.put("message", message);
        if (rejected != null) {
            error.put("rejectedValue", String.valueOf(rejected));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "invalid request: '" + field + "' " + message);
        problem.setTitle("Validation failed");
        problem.setType(ProblemTypes.VALIDATION);
        problem.setProperty("errors", List.of(error));
        return problem;
    }

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
