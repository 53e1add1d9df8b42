package io.dtxlab.chaos.workload;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A point on the monotonic clock to wait until, for code that polls a cluster while it settles. Polling with a
 * deadline, never a fixed sleep: each wait ends as soon as the cluster is ready.
 */
final class Deadline {

    /** How long to wait between two polls. */
    static final Duration POLL = Duration.ofMillis(200);

    private final long end;

    private Deadline(long end) {
        this.end = end;
    }

    /** {@code wait} from now; zero or negative means it has passed already (one attempt is still made). */
    static Deadline after(Duration wait) {
        long now = System.nanoTime();
        long nanos = Math.max(0, wait.toNanos());
        return new Deadline(now + nanos < now ? Long.MAX_VALUE : now + nanos);
    }

    boolean passed() {
        return System.nanoTime() - end >= 0;
    }

    /**
     * Calls {@code attempt} until it gives a result (not null), pausing {@link #POLL} between attempts; at least one
     * attempt, even when the deadline has passed.
     *
     * @return the first result, or null when the deadline passed (or the thread was interrupted) first
     */
    <T> T poll(Supplier<T> attempt) {
        while (true) {
            T result = attempt.get();
            if (result != null || !pause()) {
                return result;
            }
        }
    }

    /** Waits one poll interval, or what is left if less; false when nothing is left or the thread was interrupted. */
    boolean pause() {
        long left = end - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        return sleep(Math.min(left, POLL.toNanos()) / 1_000_000 + 1);
    }

    /**
     * Waits about {@code wait} while {@code running} holds, in steps of at most 50 ms so that a stop is seen soon.
     * A client's back-off after a failed request: it keeps a node that refuses at once from being asked in a tight
     * loop, which would fill the history with failures and nothing else.
     */
    static void backOff(Duration wait, BooleanSupplier running) {
        long until = System.nanoTime() + wait.toNanos();
        while (running.getAsBoolean()) {
            long left = until - System.nanoTime();
            if (left <= 0 || !sleep(Math.min(50, left / 1_000_000 + 1))) {
                return;
            }
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
