package io.dtxlab.bench;

/**
 * When each request of an open loop is meant to start: request {@code i} at {@code start + i / rate}, whatever
 * happened to the requests before it. Latencies measured from these intended times are free of coordinated
 * omission (as wrk2 measures them): a stalled server delays the requests queued behind it, and that delay counts.
 * Pure: times are given in, nothing reads a clock.
 */
public final class OpenLoopSchedule {

    private final long startNanos;
    private final double intervalNanos;

    /**
     * @param startNanos the intended start of request 0, on any monotonic nanosecond clock
     * @param ratePerSecond requests per second, more than 0
     */
    public OpenLoopSchedule(long startNanos, double ratePerSecond) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be a positive number of requests per second, was " + ratePerSecond);
        }
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / ratePerSecond;
    }

    /** The intended start of request {@code index} (from 0), in the clock's nanoseconds. */
    public long intendedStart(long index) {
        return startNanos + Math.round(index * intervalNanos);
    }

    /** How many requests are due at {@code nowNanos}: those whose intended start is not after it. */
    public long dueBy(long nowNanos) {
        if (nowNanos < startNanos) {
            return 0;
        }
        return (long) Math.floor((nowNanos - startNanos) / intervalNanos) + 1;
    }
}
