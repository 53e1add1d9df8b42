package io.dtxlab.bench;

import java.util.concurrent.locks.LockSupport;

/** A monotonic clock the load loops read and wait on; tests give a fake one. */
public interface NanoClock {

    long nanoTime();

    /** Waits until {@link #nanoTime()} reaches {@code deadlineNanos} (returns at once if it has). */
    void sleepUntil(long deadlineNanos) throws InterruptedException;

    /**
     * {@link System#nanoTime()}; parks until the deadline in one go (a park may return early, so it parks again for what
     * is left), which meets it to well under a millisecond and wakes no more often than needed: a watcher that woke
     * every 50 ms cost the machine more than the cluster at rest it was measuring.
     */
    NanoClock SYSTEM = new NanoClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadlineNanos) throws InterruptedException {
            long left;
            while ((left = deadlineNanos - System.nanoTime()) > 0) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                LockSupport.parkNanos(left);
            }
        }
    };
}
