package io.dtxlab.replica.replication;

/** The two clocks replication reads: monotonic for timeouts, wall for when an entry was written. */
final class Clocks {

    private Clocks() {
    }

    /** Milliseconds of the monotonic clock: timeouts, heartbeat ages; never compared across nodes. */
    static long monotonicMs() {
        return System.nanoTime() / 1_000_000;
    }

    /** The wall clock: when the master wrote an entry; lag in ms compares two readings of the master's clock. */
    static long wallMs() {
        return System.currentTimeMillis();
    }
}
