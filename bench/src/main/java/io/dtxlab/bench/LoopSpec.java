package io.dtxlab.bench;

/**
 * How requests are paced.
 *
 * @param rate requests per second for an open loop (each request has its intended start), or null for a closed loop
 *        (each worker sends its next request when the last is answered)
 * @param concurrency workers of a closed loop; for an open loop, the cap of requests in flight (requests due while
 *        the cap is reached wait, and the wait counts in their latency)
 */
public record LoopSpec(Double rate, int concurrency) {

    public LoopSpec {
        if (concurrency < 1 || concurrency > 4096) {
            throw new IllegalArgumentException("--concurrency must be between 1 and 4096, was " + concurrency);
        }
        if (rate != null && !(rate > 0 && rate <= 1_000_000)) {
            throw new IllegalArgumentException("--rate must be more than 0 and at most 1000000 ops/s, was " + rate);
        }
    }

    public static LoopSpec closed(int concurrency) {
        return new LoopSpec(null, concurrency);
    }

    public static LoopSpec open(double rate, int maxInFlight) {
        return new LoopSpec(rate, maxInFlight);
    }

    public boolean open() {
        return rate != null;
    }

    /** {@code closed} or {@code open}. */
    public String type() {
        return open() ? "open" : "closed";
    }
}
