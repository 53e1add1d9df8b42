package io.dtxlab.launcher.tour;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A value a step keeps from its answer under a name, so that later steps can use it ({@code ${xid}}): the tour
 * captures ids itself, nobody copies them by hand.
 *
 * @param name the variable
 * @param pointer where the value is (a JSON pointer); in a list picked by {@code where}, where it is in the element
 * @param where empty: the value at {@code pointer}; else the first element of the list at {@code where.list()} whose
 *     {@code where.field()} contains {@code where.fragment()}
 */
record Capture(String name, String pointer, Optional<Where> where) {

    /** Picks the first element of the list at {@code list} whose text at {@code field} contains {@code fragment}. */
    record Where(String list, String field, String fragment) {
    }

    static Capture keep(String name, String pointer) {
        return new Capture(name, pointer, Optional.empty());
    }

    /** From the first element of the list at {@code list} whose {@code field} contains {@code fragment}: its {@code pointer}. */
    static Capture keepFrom(String name, String list, String field, String fragment, String pointer) {
        return new Capture(name, pointer, Optional.of(new Where(list, field, fragment)));
    }

    /** The value, or empty when the answer has none (which the step reports as a mismatch). */
    Optional<JsonNode> from(Answer answer, Bindings bindings) {
        JsonNode source = answer.json();
        if (where.isPresent()) {
            String fragment = bindings.fill(where.get().fragment());
            source = null;
            for (JsonNode element : answer.at(where.get().list())) {
                JsonNode field = element.at(where.get().field());
                String text = field.isValueNode() ? field.asText() : field.toString();
                if (text.contains(fragment)) {
                    source = element;
                    break;
                }
            }
            if (source == null) {
                return Optional.empty();
            }
        }
        JsonNode value = source.at(pointer);
        return value.isMissingNode() || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** What was looked for, for a message when it is not there. */
    Check.Mismatch missing(Bindings bindings) {
        String what = where.map(w -> Check.name(pointer) + " of the element of " + Check.name(w.list()) + " whose "
                + Check.name(w.field()) + " contains \"" + bindings.fill(w.fragment()) + "\"").orElse(Check.name(pointer));
        return new Check.Mismatch(what, "a value (kept as ${" + name + "})", "nothing");
    }
}
