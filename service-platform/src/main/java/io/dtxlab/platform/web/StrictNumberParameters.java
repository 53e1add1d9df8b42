package io.dtxlab.platform.web;

import java.beans.PropertyEditorSupport;
import java.util.function.Function;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Integer query, path and header parameters ({@code ?limit=}, {@code ?r=}, {@code ?minIndex=}, {@code ?from=}, ...)
 * are written as an optional {@code -} and the decimal digits {@code 0-9}, nothing else, on every node.
 *
 * <p>Spring's own conversion is lenient: it decodes {@code 0x10} and {@code #10} as hexadecimal (16), takes a leading
 * {@code +}, trims whitespace, and {@code Integer.parseInt} accepts other scripts' digits (Arabic-Indic {@code ٥}). A
 * client whose typo happens to parse should hear so instead of getting another number. Anything else, and a value out
 * of the type's range, is refused before the handler runs, as the platform's 400 validation problem naming the
 * parameter with rule {@code type}, e.g. {@code 'limit' must be an integer, not '0x10'}
 * ({@code io.dtxlab.platform.problem}). An empty value stays "no value" (the parameter's default, or a
 * missing-parameter 400), as in Spring.
 *
 * <p>Why editors on every binder and not a converter: when a conversion-service converter refuses a value, Spring's
 * {@code TypeConverterDelegate} falls back to its default {@code CustomNumberEditor}, which decodes {@code 0x10}
 * after all. A custom editor is used instead of both.
 */
@ControllerAdvice
class StrictNumberParameters {

    @InitBinder
    void strictIntegers(WebDataBinder binder) {
        register(binder, long.class, Long.class, Long::valueOf);
        register(binder, int.class, Integer.class, Integer::valueOf);
        register(binder, short.class, Short.class, Short::valueOf);
        register(binder, byte.class, Byte.class, Byte::valueOf);
    }

    private static <T> void register(WebDataBinder binder, Class<?> primitive, Class<T> boxed,
            Function<String, T> parse) {
        binder.registerCustomEditor(primitive, new StrictInteger<>(parse));
        binder.registerCustomEditor(boxed, new StrictInteger<>(parse));
    }

    /**
     * Whether {@code text} is written as an optional {@code -} and at least one ASCII digit, nothing else (no
     * {@code +}, no whitespace, no {@code 0x} or {@code #}, no exponent or decimal point, no other script's digits).
     */
    static boolean isDecimalInteger(String text) {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Reads a decimal integer strictly; an {@link IllegalArgumentException} becomes Spring's type mismatch. */
    private static final class StrictInteger<T> extends PropertyEditorSupport {

        private final Function<String, T> parse;

        StrictInteger(Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public void setAsText(String text) {
            if (text == null || text.isEmpty()) {
                setValue(null);
                return;
            }
            if (!isDecimalInteger(text)) {
                throw new IllegalArgumentException("not a decimal integer: only an optional '-' and the digits 0-9");
            }
            setValue(parse.apply(text)); // NumberFormatException (an IllegalArgumentException) when out of range
        }

        @Override
        public String getAsText() {
            Object value = getValue();
            return value == null ? "" : value.toString();
        }
    }
}
