package io.dtxlab.bench;

import java.util.List;
import java.util.Map;

/**
 * One run's results: what {@code --json} writes, the HTML report shows and the terminal table prints. Latencies in
 * milliseconds, CPU in seconds, memory in MiB, rates per second of the measured window (warm-up excluded).
 *
 * @param workload orders, kv or quorum
 * @param protocol the configuration: the protocol (mix) of orders, the replication mode of kv, R/W of quorum
 * @param parameters the workload's options
 * @param loop how requests were paced
 * @param durationS the measured window
 * @param warmupS the warm-up before it, discarded
 * @param startedAt when the measured window began (ISO-8601)
 * @param operations requests meant to start in the window and answered (or failed)
 * @param outcomes counts per outcome
 * @param successes successful operations (CONFIRMED; OK and NOT_FOUND)
 * @param throughputPerS successful operations per second
 * @param opsPerS every operation per second
 * @param latencyMs latency from the intended start (coordinated omission corrected in an open loop), every outcome
 * @param latencyByOutcomeMs the same per outcome
 * @param latencyByOperationMs the same per operation (protocol; read/write)
 * @param serviceTimeMs open loop: latency from the actual send (uncorrected); null in a closed loop, where it equals latencyMs
 * @param timeline per second of the window
 * @param messages messages per operation from the cluster's counters
 * @param stagesMs where an operation's time went, from the nodes' latency histograms over the window; orders:
 *        {@code beginQueued} and {@code beginAnswer} (the order service's lane), each {@code {p50, p99}} in ms, and
 *        {@code coordinator}: protocol, then phase, then {@code {p50, p99}}; empty when the workload's nodes time no
 *        stages
 * @param leaderChanges Paxos leader changes in the window: {@code max} over coordinators, per coordinator, ballots
 * @param cpuMsPerOp CPU milliseconds of every measured process per successful operation; null without CPU figures
 * @param cpuBusyPercent the measured processes' CPU from one scrape to the other (the window and the drain after
 *        it) as a share of this machine's cores over that time: 100 is every core busy; the bench itself is not
 *        counted. Meaningful when the cluster runs on this machine; null without CPU figures
 * @param cpuWaitMsPerOp milliseconds the scraped nodes' threads were ready to run but waited for a core, summed over
 *        their threads, per successful operation (Linux schedstat, the platform's {@code process.cpu.wait}): beside
 *        {@code cpuMsPerOp}, how much queueing for a core there was. A message waits at each thread it passes through,
 *        so the more of it, the more of an operation's latency is that queueing. The launcher is not counted; null
 *        where no node says
 * @param cpuSecondsByNode CPU seconds per node in the window (null where the node does not say); in one test JVM every
 *        node reports the same process
 * @param cpuWaitSecondsByNode seconds each scraped node's threads waited for a core in the window, summed over its
 *        threads (null where the node does not say)
 * @param rssMbByNode resident memory per node after the run, MiB (null where the node does not say)
 * @param gcByNode garbage collection per node in the window, from Micrometer's JVM metrics (absent for a process that
 *        is not scraped, such as the launcher); in one test JVM every node reports the same process
 * @param audit the invariants after the run: at least {@code consistent} and {@code summary}
 * @param prepared what was done before the run (seeding, mode switch)
 * @param notes anything that makes the figures less complete
 * @param machine cores, os, java of the machine that ran the bench, and {@code hostLoopMs}: {@code before} (once the
 *        workload is prepared) and {@code after} (once the audit is done), how long a fixed CPU loop in the bench took,
 *        best of five, in ms; lower is faster. A host that runs slower charges every process more CPU per operation
 */
public record BenchReport(String workload, String protocol, Map<String, Object> parameters, Loop loop, double durationS,
        double warmupS, String startedAt, long operations, Map<String, Long> outcomes, long successes,
        double throughputPerS, double opsPerS, LatencyStats latencyMs, Map<String, LatencyStats> latencyByOutcomeMs,
        Map<String, LatencyStats> latencyByOperationMs, LatencyStats serviceTimeMs,
        List<LatencyRecorder.TimelinePoint> timeline, Map<String, Object> messages, Map<String, Object> stagesMs,
        Map<String, Object> leaderChanges, Double cpuMsPerOp, Double cpuBusyPercent, Double cpuWaitMsPerOp,
        Map<String, Double> cpuSecondsByNode, Map<String, Double> cpuWaitSecondsByNode, Map<String, Double> rssMbByNode,
        Map<String, Gc> gcByNode, Map<String, Object> audit, Map<String, Object> prepared, List<String> notes,
        Map<String, Object> machine) {

    /**
     * @param type closed or open
     * @param concurrency workers (closed), cap of requests in flight (open)
     * @param rate intended requests per second (open); null in a closed loop
     */
    public record Loop(String type, int concurrency, Double rate) {
    }

    /**
     * One node's garbage collection in the measured window. Every pause stops the whole node, so a request that
     * meets one waits for it: pauses are where a node's latency goes beside CPU.
     *
     * @param pauses stop-the-world pauses, every collector and cause (null where the node does not say)
     * @param pauseSeconds the time they stopped the node, seconds (null where the node does not say)
     * @param allocatedMb what the node allocated, MiB: what makes it collect (null where the node does not say).
     *        Micrometer counts it at each collection, so it is what was allocated up to the window's last one
     */
    public record Gc(Long pauses, Double pauseSeconds, Double allocatedMb) {
    }

    /** Whether the audit found the cluster consistent. */
    public boolean consistent() {
        return Boolean.TRUE.equals(audit.get("consistent"));
    }
}
