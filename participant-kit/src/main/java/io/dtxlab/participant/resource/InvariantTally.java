package io.dtxlab.participant.resource;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One rule checked over many items (every SKU, every account, every branch), reported as one {@link Invariant} so
 * that an audit stays small with thousands of items. Its detail is what was checked when the rule holds
 * ({@code 1000 SKUs checked}), and otherwise how many items break it and the first {@value #EXAMPLES}:
 * {@code 2 differ (1000 SKUs checked), e.g. [A: reserved 3, branches hold 2, B: …]}. Not thread-safe: one audit
 * fills it, then reads its result.
 */
public final class InvariantTally {

    /** Up to this many items that break the rule are named in its detail. */
    public static final int EXAMPLES = 5;

    private final String name;
    private final List<String> examples = new ArrayList<>();
    private long broken;

    /** @param name the rule, e.g. {@code every SKU: sold = units of committed branches} */
    public InvariantTally(String name) {
        this.name = name;
    }

    /**
     * Counts one item.
     *
     * @param holds whether the item keeps the rule
     * @param example how the item breaks it, e.g. {@code WIDGET: sold 5, committed branches took 4}; asked for
     *     only while fewer than {@value #EXAMPLES} are named
     */
    public void check(boolean holds, Supplier<String> example) {
        if (!holds) {
            broken++;
            if (examples.size() < EXAMPLES) {
                examples.add(example.get());
            }
        }
    }

    /**
     * The rule as one invariant.
     *
     * @param checked what was checked, for the detail, e.g. {@code 1000 SKUs checked}
     */
    public Invariant result(String checked) {
        return Invariant.check(name, broken == 0,
                broken == 0 ? checked : broken + " differ (" + checked + "), e.g. " + examples);
    }
}
