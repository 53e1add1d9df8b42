package io.dtxlab.launcher.tour;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a step expects of an answer. A check is a pure function of the answer and what the story knows: it holds, or
 * it says what differs (expected and actual), which is what the tour prints as FAIL.
 */
interface Check {

    /** Empty when the answer holds up; else what was expected and what came. */
    Optional<Mismatch> test(Answer answer, Bindings bindings);

    /** The part of the answer this check reads (a JSON pointer, or "" for the status), printed with the answer. */
    String reads();

    /** How to print what this check reads: {@code name value} by default. */
    default String view(Answer answer, Bindings bindings) {
        return name(reads()) + " " + show(answer.at(reads()));
    }

    /** What differs: {@code what} (e.g. "outcome"), the value expected and the value that came. */
    record Mismatch(String what, String expected, String actual) {

        @Override
        public String toString() {
            return what + ": expected " + expected + ", actual " + actual;
        }
    }

    /** The HTTP status is one of {@code statuses}. */
    static Check status(int... statuses) {
        return new Named("", (answer, b) -> Arrays.stream(statuses).anyMatch(s -> s == answer.status()) ? null
                : new Mismatch("HTTP status", Arrays.stream(statuses).mapToObj(Integer::toString)
                        .reduce((x, y) -> x + " or " + y).orElse("?"), answer.describeStatus()
                        + (answer.body().isBlank() ? "" : " " + abbreviate(answer.body()))));
    }

    /** The text at {@code pointer} equals {@code expected} (variables filled in). */
    static Check is(String pointer, String expected) {
        return new Named(pointer, (answer, b) -> {
            String want = b.fill(expected);
            JsonNode actual = answer.at(pointer);
            return text(actual).equals(want) ? null : new Mismatch(name(pointer), quote(want), show(actual));
        });
    }

    /** The text at {@code pointer} is one of {@code expected}. */
    static Check oneOf(String pointer, String... expected) {
        return new Named(pointer, (answer, b) -> {
            List<String> want = Arrays.stream(expected).map(b::fill).toList();
            JsonNode actual = answer.at(pointer);
            return want.contains(text(actual)) ? null
                    : new Mismatch(name(pointer), "one of " + want, show(actual));
        });
    }

    /** The text at {@code pointer} is not {@code unexpected} (and is there at all). */
    static Check isNot(String pointer, String unexpected) {
        return new Named(pointer, (answer, b) -> {
            String avoid = b.fill(unexpected);
            JsonNode actual = answer.at(pointer);
            return !absent(actual) && !text(actual).equals(avoid) ? null
                    : new Mismatch(name(pointer), "a value other than " + quote(avoid), show(actual));
        });
    }

    /** The value at {@code pointer} contains {@code fragment} (an object or a list: its JSON text does). */
    static Check has(String pointer, String fragment) {
        return new Named(pointer, (answer, b) -> {
            String want = b.fill(fragment);
            JsonNode actual = answer.at(pointer);
            return !absent(actual) && text(actual).contains(want) ? null
                    : new Mismatch(name(pointer), "a value containing " + quote(want), show(actual));
        });
    }

    /** The number at {@code pointer} equals {@code expected} (a number, or a variable holding one): 5.0 equals 5.00. */
    static Check number(String pointer, String expected) {
        return new Named(pointer, (answer, b) -> {
            BigDecimal want = new BigDecimal(b.fill(expected));
            JsonNode actual = answer.at(pointer);
            return actual.isNumber() && actual.decimalValue().compareTo(want) == 0 ? null
                    : new Mismatch(name(pointer), want.toPlainString(), show(actual));
        });
    }

    /** The number at {@code pointer} is greater than {@code bound} (a number, or a variable holding one). */
    static Check above(String pointer, String bound) {
        return new Named(pointer, (answer, b) -> {
            BigDecimal limit = new BigDecimal(b.fill(bound));
            JsonNode actual = answer.at(pointer);
            return actual.isNumber() && actual.decimalValue().compareTo(limit) > 0 ? null
                    : new Mismatch(name(pointer), "more than " + limit.toPlainString(), show(actual));
        });
    }

    /** The list at {@code pointer} has {@code expected} elements (a number, or a variable holding one). */
    static Check size(String pointer, String expected) {
        return new Named(pointer, (answer, b) -> {
            int want = Integer.parseInt(b.fill(expected));
            JsonNode actual = answer.at(pointer);
            return actual.isArray() && actual.size() == want ? null
                    : new Mismatch(name(pointer), want + " element(s)", show(actual));
        });
    }

    /** The list at {@code pointer} is empty, or there is none. */
    static Check empty(String pointer) {
        return new Named(pointer, (answer, b) -> absent(answer.at(pointer)) || answer.at(pointer).isEmpty() ? null
                : new Mismatch(name(pointer), "none", show(answer.at(pointer))));
    }

    /** Nothing (or null) at {@code pointer}. */
    static Check absentAt(String pointer) {
        return new Named(pointer, (answer, b) -> absent(answer.at(pointer)) ? null
                : new Mismatch(name(pointer), "none", show(answer.at(pointer))));
    }

    /** Something other than null at {@code pointer}. */
    static Check present(String pointer) {
        return new Named(pointer, (answer, b) -> !absent(answer.at(pointer)) ? null
                : new Mismatch(name(pointer), "a value", show(answer.at(pointer))));
    }

    /** Some element of the list at {@code list} has {@code expected} at {@code field}. */
    static Check some(String list, String field, String expected) {
        return new Named(list, (answer, b) -> {
            String want = b.fill(expected);
            for (JsonNode element : answer.at(list)) {
                if (text(element.at(field)).equals(want)) {
                    return null;
                }
            }
            return new Mismatch(name(list), "an element with " + name(field) + " " + quote(want), show(answer.at(list)));
        });
    }

    /**
     * The values at {@code field} of the list's elements whose value there starts with {@code prefix} are exactly
     * {@code expected}, in any order: a ledger may hold entries of other runs, which the prefix leaves out.
     */
    static Check valuesStartingWith(String list, String field, String prefix, String... expected) {
        Rule rule = (answer, b) -> {
            TreeSet<String> want = new TreeSet<>();
            Arrays.stream(expected).map(b::fill).forEach(want::add);
            List<String> found = valuesAt(answer, list, field, b.fill(prefix));
            return found.size() == want.size() && want.equals(new TreeSet<>(found)) ? null
                    : new Mismatch(name(list) + " " + name(field) + "s", want.toString(), found.toString());
        };
        return new Named(list, rule) {
            @Override
            public String view(Answer answer, Bindings bindings) {
                return name(list) + " " + name(field) + "s " + valuesAt(answer, list, field, bindings.fill(prefix));
            }
        };
    }

    private static List<String> valuesAt(Answer answer, String list, String field, String prefix) {
        List<String> found = new ArrayList<>();
        answer.at(list).forEach(e -> {
            String value = text(e.at(field));
            if (value.startsWith(prefix)) {
                found.add(value);
            }
        });
        return found;
    }

    /** The values at {@code field} of every element of the list at {@code list} are exactly {@code expected}, in any order. */
    static Check values(String list, String field, String... expected) {
        return valuesStartingWith(list, field, "", expected);
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    private static String text(JsonNode node) {
        if (absent(node)) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    /** A value for a line of output: as JSON, or for a long list only how long it is. */
    static String show(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        String json = node.toString();
        if (node.isArray() && json.length() > 240) {
            return "[" + node.size() + (node.size() == 1 ? " element]" : " elements]");
        }
        return abbreviate(json);
    }

    static String name(String pointer) {
        return pointer.isEmpty() ? "the answer" : pointer.substring(1).replace('/', '.');
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() > 240 ? flat.substring(0, 240) + "…" : flat;
    }

    /** A check from a function that returns null when it holds. */
    class Named implements Check {

        private final String reads;
        private final Rule rule;

        Named(String reads, Rule rule) {
            this.reads = reads;
            this.rule = rule;
        }

        @Override
        public String reads() {
            return reads;
        }

        @Override
        public Optional<Mismatch> test(Answer answer, Bindings bindings) {
            return Optional.ofNullable(rule.apply(answer, bindings));
        }
    }

    /** The body of a check: null when it holds. */
    @FunctionalInterface
    interface Rule {
        Mismatch apply(Answer answer, Bindings bindings);
    }
}
