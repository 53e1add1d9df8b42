package io.dtxlab.core.quorum;

import java.util.Random;
import java.util.function.Consumer;

/**
 * Runs a property over many seeded random cases. A failure names its seed; {@code -Ddtx.seed=<seed>} runs that
 * case first, so it reproduces.
 */
final class Seeds {

    private Seeds() {
    }

    static void forEach(String property, int cases, Consumer<Random> check) {
        String given = System.getProperty("dtx.seed");
        if (given != null) {
            run(property, Long.parseLong(given), check);
        }
        long base = property.hashCode() * 1_000_003L;
        for (int i = 0; i < cases; i++) {
            run(property, base + i, check);
        }
    }

    private static void run(String property, long seed, Consumer<Random> check) {
        try {
            check.accept(new Random(seed));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("property '" + property + "' fails for seed " + seed
                    + " (reproduce with -Ddtx.seed=" + seed + "): " + e.getMessage(), e);
        }
    }

    /** A clock over a few nodes with small counters, so equal, older and concurrent pairs all come up often. */
    static VectorClock clock(Random random) {
        var counters = new java.util.TreeMap<String, Long>();
        for (String node : new String[] {"replica-1", "replica-2", "replica-3", "replica-4"}) {
            if (random.nextInt(3) > 0) {
                counters.put(node, (long) random.nextInt(4));
            }
        }
        return VectorClock.of(counters);
    }
}
