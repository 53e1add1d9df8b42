package io.dtxlab.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a history of registers, one per key, is linearizable (Herlihy and Wing 1990): there is one order of the
 * operations that respects real time (an operation that completed before another was invoked comes first) in which
 * each read returns the value of the write before it. Used for master-slave replication in SYNC mode.
 * <p>
 * Operations, by function ({@code f}); others are ignored:
 * <ul>
 * <li>{@code write}: the invoke's value is written; the completion's value (a receipt) is not looked at;</li>
 * <li>{@code delete}: the key has no value again (as JSON null);</li>
 * <li>{@code read}: the {@code ok}'s value is the value read, JSON null for a key with none (a 404);</li>
 * <li>{@code cas}: the invoke's value is {@code [from, to]}; {@code ok} means it swapped, a cas that found another
 * value is a {@code fail}.</li>
 * </ul>
 * {@code fail} operations are dropped. An {@code info} operation may have taken effect at any time after its invoke,
 * or never: its completion time is infinity, and an info cas may also have found another value. An info read says
 * nothing and is dropped (Knossos, Porcupine).
 * <p>
 * Each key is checked alone (P-compositionality: a history is linearizable when each object's subhistory is, Herlihy
 * and Wing) with {@link WingGongLowe}. The search of a key stops after a budget of steps: a key that used it up
 * makes the verdict UNKNOWN, never VALID.
 */
public final class LinearizableRegisterChecker implements Checker {

    /** The checker's name, on its verdicts. */
    public static final String NAME = "linearizable-register";

    /** Violation: a key's operations have no linearization; key the key, the blocked operation first. */
    public static final String LINEARIZABLE = "linearizable";

    /** Note: a key's search ran out of steps, which leaves the verdict UNKNOWN; key the key. */
    public static final String SEARCH_BUDGET = "search budget";

    /** Steps per key before the verdict is UNKNOWN: a few seconds of search, with a cache of bounded size. */
    public static final long DEFAULT_STEPS_PER_KEY = 2_000_000;

    /** How many operations of the longest linearizable prefix a violation names, the last ones. */
    static final int PREFIX_SHOWN = 10;

    private static final Set<String> FUNCTIONS = Set.of("read", "write", "delete", "cas");

    private final long stepsPerKey;
    private final JsonNode initial;

    /** Registers that start without a value (JSON null), with {@link #DEFAULT_STEPS_PER_KEY}. */
    public LinearizableRegisterChecker() {
        this(DEFAULT_STEPS_PER_KEY, NullNode.getInstance());
    }

    /**
     * @param stepsPerKey the search budget of each key, in list entries visited (at least 1)
     * @param initial every register's value before the run; JSON null for none
     */
    public LinearizableRegisterChecker(long stepsPerKey, JsonNode initial) {
        if (stepsPerKey < 1) {
            throw new IllegalArgumentException("the search budget must be at least one step, was " + stepsPerKey);
        }
        this.stepsPerKey = stepsPerKey;
        this.initial = initial == null ? NullNode.getInstance() : initial;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(History history) {
        List<Finding> violations = new ArrayList<>();
        List<Finding> notes = new ArrayList<>();
        boolean finished = true;
        Map<String, List<Operation>> byKey = history.operationsByKey(op -> FUNCTIONS.contains(op.f()));
        for (Map.Entry<String, List<Operation>> key : byKey.entrySet()) {
            KeyHistory ops = new KeyHistory(key.getValue(), initial);
            WingGongLowe.Result result = WingGongLowe.search(ops.invokedAt, ops.latestEffect, ops::step,
                    ops.initialState, stepsPerKey);
            switch (result.outcome()) {
                case NOT_LINEARIZABLE -> violations.add(ops.violation(key.getKey(), result));
                case BUDGET_EXHAUSTED -> {
                    finished = false;
                    notes.add(new Finding(SEARCH_BUDGET, key.getKey(), "stopped after " + result.steps()
                            + " steps over " + ops.size() + " operations without a verdict; the longest linearizable "
                            + "prefix found has " + result.longestPrefix().length + " operations"));
                }
                case LINEARIZABLE -> {
                }
            }
        }
        return Verdict.of(name(), violations, notes, finished);
    }

    /** One key's operations as the search sees them: interned values, and each operation's kind and arguments. */
    private static final class KeyHistory {

        private enum Kind { READ, WRITE, CAS }

        final List<Operation> ops = new ArrayList<>();
        final List<JsonNode> values = new ArrayList<>();
        final Map<JsonNode, Integer> ids = new HashMap<>();
        final int initialState;
        long[] invokedAt;
        long[] latestEffect;
        Kind[] kinds;
        int[] from;
        int[] to;
        boolean[] unknown;

        KeyHistory(List<Operation> all, JsonNode initial) {
            initialState = intern(initial);
            List<Operation> kept = all.stream()
                    .filter(op -> !op.failed() && !(op.unknown() && op.f().equals("read")))
                    .toList();
            int n = kept.size();
            invokedAt = new long[n];
            latestEffect = new long[n];
            kinds = new Kind[n];
            from = new int[n];
            to = new int[n];
            unknown = new boolean[n];
            for (int i = 0; i < n; i++) {
                Operation op = kept.get(i);
                ops.add(op);
                invokedAt[i] = op.invokedAt();
                latestEffect[i] = op.latestEffect();
                unknown[i] = op.unknown();
                switch (op.f()) {
                    case "read" -> {
                        kinds[i] = Kind.READ;
                        from[i] = intern(op.response());
                    }
                    case "write" -> {
                        kinds[i] = Kind.WRITE;
                        to[i] = intern(op.request());
                    }
                    case "delete" -> {
                        kinds[i] = Kind.WRITE;
                        to[i] = intern(NullNode.getInstance());
                    }
                    default -> {
                        JsonNode pair = op.request();
                        if (!pair.isArray() || pair.size() != 2) {
                            throw new IllegalArgumentException("a cas's value is [from, to]: " + op.describe());
                        }
                        kinds[i] = Kind.CAS;
                        from[i] = intern(pair.get(0));
                        to[i] = intern(pair.get(1));
                    }
                }
            }
        }

        int size() {
            return ops.size();
        }

        private int intern(JsonNode value) {
            return ids.computeIfAbsent(value, v -> {
                values.add(v);
                return values.size() - 1;
            });
        }

        /** The register's sequential specification. */
        int step(int state, int op) {
            return switch (kinds[op]) {
                case READ -> state == from[op] ? state : WingGongLowe.ILLEGAL;
                case WRITE -> to[op];
                // an info cas may also have found another value and changed nothing
                case CAS -> state == from[op] ? to[op] : unknown[op] ? state : WingGongLowe.ILLEGAL;
            };
        }

        Finding violation(String key, WingGongLowe.Result result) {
            int[] prefix = result.longestPrefix();
            Operation blocked = ops.get(result.blocked());
            int shownFrom = Math.max(0, prefix.length - PREFIX_SHOWN);
            List<Operation> shown = new ArrayList<>();
            shown.add(blocked);
            Arrays.stream(prefix, shownFrom, prefix.length).mapToObj(ops::get).forEach(shown::add);
            String detail = "not linearizable: " + blocked.describe() + " cannot take effect after the longest "
                    + "linearizable prefix found (" + prefix.length + " operation" + (prefix.length == 1 ? "" : "s")
                    + (shownFrom > 0 ? ", the last " + PREFIX_SHOWN + " listed" : "") + "), which leaves the "
                    + "register at " + values.get(result.stateAfterPrefix());
            return new Finding(LINEARIZABLE, key, detail, shown);
        }
    }
}
