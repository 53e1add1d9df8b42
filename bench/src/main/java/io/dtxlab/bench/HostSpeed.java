package io.dtxlab.bench;

import java.util.Locale;
import java.util.Optional;

/**
 * How fast this machine runs a fixed piece of CPU work right now. On a shared or virtual host the same work can take
 * about a tenth longer from one time to the next (on the lab's machine this loop took 8.99-9.29 ms in most runs and
 * 9.84 or 10.12 ms beside two runs that were a fifth slower), and every process is charged the slower CPU as its own:
 * a node's CPU per operation grows with it. A report carries this figure from before and after its run, so that
 * two runs can be compared knowing whether the host ran at the same speed. It is the same work in every run of the same
 * bench build and JVM flags.
 */
final class HostSpeed {

    /** 16 KiB: well inside any L1 data cache. */
    private static final int WORDS = 4096;
    /** Passes over the array in one round: about 10 ms on the lab's machine with the bench's C1-only JVM. */
    private static final int PASSES = 2_000;
    private static final int WARM_ROUNDS = 3;
    /** How many timed rounds the figure is the best of. */
    static final int TIMED_ROUNDS = 5;

    /**
     * How far apart the figures before and after a run may be and the host still count as running at one speed: on the
     * lab's machine most runs' figures lay within 3 % of each other, and those beside the two slow runs 8-11 % apart.
     */
    static final double SAME_SPEED = 0.05;

    /** Keeps the JIT from dropping the work as unused. */
    private static volatile int sink;

    private HostSpeed() {
    }

    /**
     * Integer mixing over an array that fits in a core's L1 cache: it measures the core, not memory or the JIT (three
     * untimed rounds go first).
     *
     * @return the fastest of five timed rounds of the fixed work, in milliseconds (three decimals): lower is faster.
     *     Takes about eight times that to measure (three untimed rounds, then five).
     */
    static double loopMs() {
        int[] words = new int[WORDS];
        for (int i = 0; i < WORDS; i++) {
            words[i] = i * 0x9E3779B1;
        }
        for (int i = 0; i < WARM_ROUNDS; i++) {
            sink += round(words);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < TIMED_ROUNDS; i++) {
            long start = System.nanoTime();
            sink += round(words);
            best = Math.min(best, System.nanoTime() - start);
        }
        return ClusterProbe.round3(best / 1e6);
    }

    /**
     * A note for the report when the host's speed changed during a run.
     *
     * @param beforeMs {@link #loopMs()} before the run
     * @param afterMs {@link #loopMs()} after it
     * @return the note when the slower figure exceeds the faster by more than {@link #SAME_SPEED}; empty otherwise
     */
    static Optional<String> changed(double beforeMs, double afterMs) {
        double faster = Math.min(beforeMs, afterMs);
        if (!(faster > 0) || Math.max(beforeMs, afterMs) <= faster * (1 + SAME_SPEED)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "the host ran at another speed after the run than before it (a "
                + "fixed CPU loop took %.3f ms, then %.3f ms): its CPU figures may not compare with other runs'",
                beforeMs, afterMs));
    }

    private static int round(int[] words) {
        int x = 1;
        for (int pass = 0; pass < PASSES; pass++) {
            for (int i = 0; i < words.length; i++) {
                // a multiply, shifts and a data dependency from one word to the next: nothing to vectorise or skip
                x = words[i] * 0x9E3779B1 + (x >>> 7);
                words[i] = x ^ (x >>> 13);
            }
        }
        return x;
    }
}
