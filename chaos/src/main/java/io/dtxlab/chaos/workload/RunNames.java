package io.dtxlab.chaos.workload;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Names that are new in every run: the keys a run writes and the Idempotency-Keys it sends. The checkers assume a key
 * starts without a value and a value is written once, and the services keep keys and Idempotency-Keys across runs,
 * so each run writes under a tag of its own.
 */
final class RunNames {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RunNames() {
    }

    /**
     * A fresh tag: the time in base 36 and four random hex digits, e.g. {@code mgy3k2aq-07c1}; only characters every
     * key rule of the services allows ({@code A-Z a-z 0-9 . _ : -}).
     */
    static String tag() {
        return Long.toString(System.currentTimeMillis(), 36) + "-"
                + String.format(Locale.ROOT, "%04x", RANDOM.nextInt(0x10000));
    }

    /**
     * {@code count} keys of a fresh tag, {@code chaos-<tag>-<kind>1} onwards, e.g. {@code chaos-mgy3k2aq-07c1-r1}.
     *
     * @param kind a letter naming the workload, so that keys of different workloads never meet
     */
    static List<String> keys(String kind, int count) {
        String tag = tag();
        return IntStream.rangeClosed(1, count).mapToObj(i -> "chaos-" + tag + "-" + kind + i).toList();
    }
}
