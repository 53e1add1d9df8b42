package io.dtxlab.bench;

import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One kind of load: what a request is, how its answer is classified, how the cluster is prepared before and
 * audited after. Implementations are thread-safe: many workers call {@link #call} at once.
 */
public interface Workload {

    /** How one request ended: {@code operation} names its kind (a protocol, {@code read}, {@code write}). */
    record Result(String operation, String outcome) {
    }

    /** {@code orders}, {@code kv} or {@code quorum}. */
    String name();

    /** The configuration the report files it under: the protocol (mix), the replication mode, or R/W. */
    String label();

    /** The workload's own options, for the report. */
    Map<String, Object> parameters();

    /** Outcomes that count as a successful operation. */
    Set<String> successes();

    /** Outcomes that count as errors (the progress line, the timeline). */
    Set<String> errors();

    /**
     * Readies the cluster (seeds, switches modes, finds the master) before the load starts.
     *
     * @return what it did, for the report (may be empty)
     * @throws IllegalStateException when the cluster cannot be readied; nothing is measured then
     */
    Map<String, Object> prepare();

    /** Sends one request and classifies its answer; never throws. */
    Result call(RandomGenerator random);

    /**
     * Checks the cluster's invariants once the load is over; waits for it to settle first.
     *
     * @param sent requests sent in the run, warm-up included
     * @return at least {@code consistent} (boolean) and {@code summary} (one line)
     */
    Map<String, Object> audit(long sent);

    /**
     * Messages per operation from the cluster's counters over the measured window.
     *
     * @param delta the counters' growth over the window, by node
     * @param recorder the window's requests
     */
    Map<String, Object> messages(MetricsDelta delta, LatencyRecorder recorder);

    /**
     * Where an operation's time went, by stage, from the nodes' latency histograms over the measured window: each
     * stage's {@code {p50, p99}} in milliseconds, possibly grouped (the orders' coordinator phases by protocol).
     * Empty for a workload whose nodes time no stages.
     *
     * @param delta the histograms' growth over the window, by node
     */
    default Map<String, Object> stages(MetricsDelta delta) {
        return Map.of();
    }
}
