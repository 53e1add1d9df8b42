package io.dtxlab.platform.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Strict JSON numbers, applied per field with {@code @JsonDeserialize(using = StrictJson.WholeNumber.class)} so the
 * global mapper stays as it is. Jackson would otherwise coerce {@code 2.5} to 2, {@code "3"} to 3 and the string
 * {@code "100.00"} to a number. A refused value throws {@link MismatchedInputException}; the platform's problem
 * details turn it into a 400 validation problem naming the field with rule {@code type} (e.g. field
 * {@code items[3].available}, message {@code must be a JSON integer, not 2.5}). How many decimals money may have is
 * not checked here: that is Bean Validation's {@code @Digits} on the field.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /**
     * A JSON integer that fits an {@code int} (-2147483648..2147483647); a fraction, a string, a boolean, an array
     * or an object is refused ({@code must be a JSON integer, not …}), as is a larger integer
     * ({@code is out of range: …}).
     */
    public static final class WholeNumber extends ValueDeserializer<Integer> {
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

    /**
     * A JSON number (integer or fraction), read exactly as written, with no binary floating point in between; a
     * string, a boolean, an array or an object is refused ({@code must be a JSON number, not …}).
     */
    public static final class Decimal extends ValueDeserializer<BigDecimal> {
        @Override
        public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken token = p.currentToken();
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw MismatchedInputException.from(p, BigDecimal.class, "must be a JSON number, not " + shown(p));
            }
            return p.getDecimalValue();
        }
    }

    /** The refused value as written in the body: {@code the string "3"}, {@code 2.5}, {@code a JSON array}. */
    private static String shown(JsonParser p) {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            return "the string \"" + p.getString() + "\"";
        }
        if (token != null && token.isScalarValue()) {
            return p.getString();
        }
        return "a JSON " + (token == JsonToken.START_ARRAY ? "array" : "object");
    }
}
