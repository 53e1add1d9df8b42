package io.dtxlab.chaos.check;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * The search for a linearization of one key's history: Wing and Gong's algorithm (1993, "Testing and verifying
 * concurrent objects") with Lowe's improvements (2017, "Testing for linearizability"), as Porcupine's
 * {@code checkSingle} implements it.
 * <p>
 * The operations' calls and returns are one list in time order (a call before a return at the same time, so touching
 * operations count as concurrent). The search walks it: at a call it tries to take the operation's effect now (the
 * model allows it, and the pair (set of operations taken, model state) was never reached before: Lowe's cache); it
 * then lifts the call and its return out of the list and starts again from the head. At a return whose operation was
 * not taken, no order of the calls before it works: it undoes the last operation taken and tries the next call after
 * it. The history is linearizable when the list empties, and is not when it must undo with nothing taken.
 * <p>
 * States and operations are ints (the caller interns values), so a step costs no allocation but the cache's.
 */
final class WingGongLowe {

    /** What {@link Model#step} returns when the operation cannot take effect in that state. */
    static final int ILLEGAL = Integer.MIN_VALUE;

    private static final int NIL = -1;

    /** The sequential specification: the state after {@code op} takes effect in {@code state}, or ILLEGAL. */
    interface Model {
        int step(int state, int op);
    }

    enum Outcome {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        BUDGET_EXHAUSTED
    }

    /**
     * @param outcome what the search found
     * @param steps how many list entries it visited
     * @param longestPrefix the longest sequence of operations it could take (in that order) before a dead end; the
     *        whole linearization when linearizable
     * @param blocked the operation whose return ended that longest prefix: it could not take effect next; NIL when
     *        linearizable or stopped
     * @param stateAfterPrefix the model's state after the longest prefix
     */
    record Result(Outcome outcome, long steps, int[] longestPrefix, int blocked, int stateAfterPrefix) {
    }

    private record Seen(BitSet linearized, int state) {
    }

    private final int n;
    private final int head;
    private final int[] next;
    private final int[] prev;

    /**
     * @param invokedAt each operation's invoke time
     * @param latestEffect each operation's return time ({@link Long#MAX_VALUE} for one whose outcome is unknown)
     */
    private WingGongLowe(long[] invokedAt, long[] latestEffect) {
        n = invokedAt.length;
        head = 2 * n;
        next = new int[2 * n + 1];
        prev = new int[2 * n + 1];
        // node 2i is operation i's call, 2i + 1 its return
        Integer[] order = new Integer[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> {
            long ta = (a & 1) == 0 ? invokedAt[a >> 1] : latestEffect[a >> 1];
            long tb = (b & 1) == 0 ? invokedAt[b >> 1] : latestEffect[b >> 1];
            if (ta != tb) {
                return Long.compare(ta, tb);
            }
            if ((a & 1) != (b & 1)) {
                return (a & 1) - (b & 1); // calls before returns
            }
            return Integer.compare(a, b);
        });
        int last = head;
        for (int node : order) {
            next[last] = node;
            prev[node] = last;
            last = node;
        }
        next[last] = NIL;
    }

    /**
     * Searches for a linearization.
     *
     * @param invokedAt each operation's invoke time, in nanoseconds
     * @param latestEffect each operation's completion time, {@link Long#MAX_VALUE} when unknown
     * @param model the sequential specification over interned states and operation indexes
     * @param initial the state before any operation
     * @param budget the most list entries to visit; past it the outcome is BUDGET_EXHAUSTED, never LINEARIZABLE
     */
    static Result search(long[] invokedAt, long[] latestEffect, Model model, int initial, long budget) {
        return new WingGongLowe(invokedAt, latestEffect).run(model, initial, budget);
    }

    private Result run(Model model, int initial, long budget) {
        BitSet linearized = new BitSet(n);
        Set<Seen> cache = new HashSet<>();
        int[] takenCall = new int[n];
        int[] stateBefore = new int[n];
        int depth = 0;
        int state = initial;
        int[] longest = new int[0];
        int blocked = NIL;
        int stateAfterLongest = initial;
        long steps = 0;
        int entry = next[head];
        while (next[head] != NIL) {
            if (++steps > budget) {
                return new Result(Outcome.BUDGET_EXHAUSTED, steps - 1, longest, NIL, stateAfterLongest);
            }
            if ((entry & 1) == 0) {
                int op = entry >> 1;
                int after = model.step(state, op);
                if (after != ILLEGAL) {
                    linearized.set(op);
                    if (!cache.contains(new Seen(linearized, after))) {
                        cache.add(new Seen((BitSet) linearized.clone(), after));
                        takenCall[depth] = entry;
                        stateBefore[depth] = state;
                        depth++;
                        state = after;
                        lift(entry);
                        entry = next[head];
                        continue;
                    }
                    linearized.clear(op);
                }
                entry = next[entry];
            } else {
                // a return whose operation was not taken: nothing before it can be taken next in this branch
                if (depth > longest.length || blocked == NIL) {
                    longest = new int[depth];
                    for (int i = 0; i < depth; i++) {
                        longest[i] = takenCall[i] >> 1;
                    }
                    blocked = entry >> 1;
                    stateAfterLongest = state;
                }
                if (depth == 0) {
                    return new Result(Outcome.NOT_LINEARIZABLE, steps, longest, blocked, stateAfterLongest);
                }
                depth--;
                entry = takenCall[depth];
                state = stateBefore[depth];
                linearized.clear(entry >> 1);
                unlift(entry);
                entry = next[entry];
            }
        }
        int[] whole = new int[depth];
        for (int i = 0; i < depth; i++) {
            whole[i] = takenCall[i] >> 1;
        }
        return new Result(Outcome.LINEARIZABLE, steps, whole, NIL, state);
    }

    /** Takes a call and its return out of the list; {@link #unlift} puts them back (dancing links). */
    private void lift(int call) {
        unlink(call);
        unlink(call + 1);
    }

    private void unlift(int call) {
        relink(call + 1);
        relink(call);
    }

    private void unlink(int node) {
        next[prev[node]] = next[node];
        if (next[node] != NIL) {
            prev[next[node]] = prev[node];
        }
    }

    private void relink(int node) {
        next[prev[node]] = node;
        if (next[node] != NIL) {
            prev[next[node]] = node;
        }
    }
}
