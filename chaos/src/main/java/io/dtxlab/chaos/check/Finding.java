package io.dtxlab.chaos.check;

import io.dtxlab.chaos.history.Operation;
import java.util.List;
import java.util.Objects;

/**
 * One thing a checker found: a broken rule, or a fact a report should show without failing the run.
 *
 * @param rule the rule, in a few words, e.g. {@code linearizable}, {@code no mixed outcome under 2PC}
 * @param key the key (or order, SKU, account) it concerns; null when it concerns the whole run
 * @param detail what happened, in a sentence a report can show
 * @param operations the operations that show it, most telling first; empty when it rests on the final state alone
 */
public record Finding(String rule, String key, String detail, List<Operation> operations) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
        operations = List.copyOf(operations);
    }

    /** A finding that rests on the final state alone. */
    public Finding(String rule, String key, String detail) {
        this(rule, key, detail, List.of());
    }

    /** {@code rule [key]: detail}, then one line per operation. */
    public String describe() {
        StringBuilder s = new StringBuilder(rule);
        if (key != null) {
            s.append(" [").append(key).append(']');
        }
        s.append(": ").append(detail);
        operations.forEach(op -> s.append("\n    ").append(op.describe()));
        return s.toString();
    }
}
