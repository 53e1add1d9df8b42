package io.dtxlab.launcher.tour;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a story knows so far: the values it was given (its fresh names, the cluster's sizes) and those it captured
 * from answers, by name. Text written with {@code ${name}} gets them filled in, as a shell fills in variables.
 */
final class Bindings {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*)}");

    private final Map<String, JsonNode> values = new LinkedHashMap<>();

    Bindings put(String name, JsonNode value) {
        values.put(name, value);
        return this;
    }

    Bindings put(String name, String value) {
        return put(name, JsonNodeFactory.instance.textNode(value));
    }

    Bindings put(String name, long value) {
        return put(name, JsonNodeFactory.instance.numberNode(value));
    }

    Optional<JsonNode> find(String name) {
        return Optional.ofNullable(values.get(name));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** {@code text} with every {@code ${name}} replaced by its value (a text as it is, anything else as JSON). */
    String fill(String text) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            JsonNode value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalStateException("${" + matcher.group(1) + "} is not known at this step (known: "
                        + values.keySet() + ")");
            }
            matcher.appendReplacement(filled, Matcher.quoteReplacement(value.isTextual() ? value.asText() : value.toString()));
        }
        matcher.appendTail(filled);
        return filled.toString();
    }

    /**
     * A request body with its variables filled in: a text that is exactly {@code ${name}} becomes that value itself
     * (a number, an object such as a causal context, a list); other texts are filled in as text.
     */
    Object fillBody(Object body) {
        if (body instanceof String text) {
            Matcher whole = VARIABLE.matcher(text);
            if (whole.matches()) {
                return find(whole.group(1)).map(v -> (Object) v).orElseGet(() -> fill(text));
            }
            return fill(text);
        }
        if (body instanceof Map<?, ?> map) {
            Map<Object, Object> filled = new LinkedHashMap<>();
            map.forEach((k, v) -> filled.put(k, fillBody(v)));
            return filled;
        }
        if (body instanceof List<?> list) {
            return list.stream().map(this::fillBody).toList();
        }
        return body;
    }

    /** The names {@code text} refers to, in order. */
    static List<String> referencedBy(String text) {
        return VARIABLE.matcher(text).results().map(m -> m.group(1)).toList();
    }
}
