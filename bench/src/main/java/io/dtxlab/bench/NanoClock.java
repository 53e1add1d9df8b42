package io.dtxlab.bench;

import java.util.concurrent.locks.LockSupport;

/** A monotonic clock the load loops read and wait on; tests give a fake one. */
public interface NanoClock {

    long nanoTime();

    /** Waits until {@link #nanoTime()} reaches {@code deadlineNanos} (returns at once if it has). */
    void sleepUntil(long deadlineNanos) throws InterruptedException;

    /** {@link System#nanoTime()}; parks in slices, so a deadline is met to well under a millisecond. */
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
                LockSupport.parkNanos(Math.min(left, 50_000_000L));
            }
        }
    };
}
