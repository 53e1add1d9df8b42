package io.dtxlab.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.WebDataBinder;

/**
 * An integer parameter is an optional '-' and the digits 0-9, nothing else: Spring's binder, as every node sets it
 * up (its default editors included), with the platform's rule added.
 */
class StrictNumberParametersTest {

    @SuppressWarnings("unused")
    void handler(int limit, Integer r, long from, Long minIndex) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x10", "0X10", "#10", "+5", " 5", "5 ", "1e2", "2.5", "5L", "-", "--1", "\u0665",
            "2147483648", "1_000"})
    void anythingButAnOptionalMinusAndDecimalDigitsIsRefused(String value) {
        for (int parameter : new int[] {0, 1}) {
            assertThatThrownBy(() -> bind(value, parameter)).as("'%s' as %s", value, parameter)
                    .isInstanceOf(TypeMismatchException.class);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x10", "+5", " 5", "9223372036854775808"})
    void aLongParameterIsAsStrict(String value) {
        for (int parameter : new int[] {2, 3}) {
            assertThatThrownBy(() -> bind(value, parameter)).as("'%s'", value).isInstanceOf(TypeMismatchException.class);
        }
    }

    @Test
    void decimalIntegersAreReadAsWritten() {
        assertThat(bind("16", 0)).isEqualTo(16);
        assertThat(bind("010", 1)).as("not octal").isEqualTo(10);
        assertThat(bind("-3", 1)).isEqualTo(-3);
        assertThat(bind("2147483647", 0)).isEqualTo(Integer.MAX_VALUE);
        assertThat(bind("9223372036854775807", 3)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anEmptyValueIsNoValue() {
        assertThat(bind("", 1)).isNull();
    }

    private Object bind(String value, int parameter) {
        Method method;
        try {
            method = getClass().getDeclaredMethod("handler", int.class, Integer.class, long.class, Long.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
        MethodParameter target = new MethodParameter(method, parameter);
        WebDataBinder binder = new WebDataBinder(null);
        new StrictNumberParameters().strictIntegers(binder);
        return binder.convertIfNecessary(value, target.getParameterType(), target);
    }
}
