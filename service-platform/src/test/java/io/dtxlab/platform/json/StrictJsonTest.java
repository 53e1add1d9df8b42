package io.dtxlab.platform.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** A value must have the JSON type of the field it fills; nothing is coerced. */
class StrictJsonTest {

    enum Colour { RED, GREEN }

    record Order(Integer quantity, BigDecimal amount, Double ratio, Boolean urgent, String name, Colour colour) {
    }

    record Primitives(long count, boolean flag) {
    }

    /** As the nodes build it: Spring Boot's settings, then the platform's rules. */
    private final JsonMapper json = StrictJson.strict(JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)).build();

    @ParameterizedTest
    @ValueSource(strings = {"2.5", "2.0", "1e3", "\"3\"", "true", "\"\"", "99999999999", "[1]", "{}"})
    void anIntegerFieldTakesOnlyAJsonInteger(String value) {
        assertRefused("{\"quantity\": " + value + "}", "quantity");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5", "\"3\"", "true", "null"})
    void aPrimitiveIntegerFieldTakesOnlyAJsonInteger(String value) {
        assertRefused(() -> json.readValue("{\"flag\": true, \"count\": " + value + "}", Primitives.class), "count");
    }

    @Test
    void aPrimitiveFieldLeftOutIsRefusedNotMadeZeroOrFalse() {
        assertRefused(() -> json.readValue("{\"flag\": false}", Primitives.class), "count");
        assertThat(json.readValue("{\"count\": 3, \"flag\": true}", Primitives.class)).isEqualTo(new Primitives(3, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"100.00\"", "true", "\"\""})
    void aNumberFieldTakesOnlyAJsonNumber(String value) {
        assertRefused("{\"amount\": " + value + "}", "amount");
        assertRefused("{\"ratio\": " + value + "}", "ratio");
    }

    @Test
    void aNumberFieldTakesAJsonIntegerOrFractionExactlyAsWritten() {
        assertThat(read("{\"amount\": 5.00}").amount()).isEqualTo(new BigDecimal("5.00"));
        assertThat(read("{\"amount\": 5}").amount()).isEqualTo(new BigDecimal("5"));
        assertThat(read("{\"ratio\": 2}").ratio()).isEqualTo(2.0);
        assertThat(read("{\"quantity\": -7}").quantity()).isEqualTo(-7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "0", "\"true\"", "\"\"", "1.0"})
    void aBooleanFieldTakesOnlyTrueOrFalse(String value) {
        assertRefused("{\"urgent\": " + value + "}", "urgent");
        assertRefused(() -> json.readValue("{\"count\": 1, \"flag\": " + value + "}", Primitives.class), "flag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "4.2", "true"})
    void aStringFieldTakesOnlyAJsonString(String value) {
        assertRefused("{\"name\": " + value + "}", "name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "1.0"})
    void anEnumFieldTakesOnlyTheConstantsName(String value) {
        assertRefused("{\"colour\": " + value + "}", "colour");
        assertThat(read("{\"colour\": \"GREEN\"}").colour()).isEqualTo(Colour.GREEN);
    }

    @Test
    void nullStaysNullForAnObjectField() {
        Order order = read("{\"quantity\": null, \"name\": null, \"urgent\": null}");
        assertThat(order.quantity()).isNull();
        assertThat(order.name()).isNull();
    }

    private Order read(String body) {
        return json.readValue(body, Order.class);
    }

    private void assertRefused(String body, String field) {
        assertRefused(() -> read(body), field);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable reading, String field) {
        assertThatThrownBy(reading)
                .isInstanceOf(tools.jackson.core.JacksonException.class)
                .satisfies(e -> assertThat(((tools.jackson.core.JacksonException) e).getPath())
                        .extracting(tools.jackson.core.JacksonException.Reference::getPropertyName)
                        .containsExactly(field));
    }
}
