package io.dtxlab.replica.quorum;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * What this node saw as a quorum coordinator, as Micrometer meters (so Prometheus has them too) and as the view
 * {@code GET /quorum/stats} answers: latency percentiles per (operation, R or W), messages per request, sibling
 * counts of reads, read repairs, stand-in writes and hints.
 * <p>
 * Latency goes twice: into {@code dtx.quorum.requests}, which Prometheus gets as histogram buckets (cumulative, for
 * percentiles over any window: {@link io.dtxlab.platform.metrics.LatencyBuckets}), and into a timer of this class's
 * own, never exported, whose percentiles over the last few minutes {@code /quorum/stats} shows.
 */
@Component
class QuorumStats {

    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final MeterRegistry meters;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    /** The view's windowed percentiles, kept apart so that no scrape shows quantiles that decay to 0 when idle. */
    private final MeterRegistry viewMeters = new SimpleMeterRegistry();
    private final Map<String, Timer> viewLatency = new ConcurrentHashMap<>();
    private final Map<String, DistributionSummary> messages = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> siblings = new ConcurrentHashMap<>();
    private final Counter readRepairs;
    private final Counter standInWrites;
    private final Counter hintsDelivered;
    private final HintStore hints;

    QuorumStats(MeterRegistry meters, HintStore hints) {
        this.meters = meters;
        this.hints = hints;
        this.readRepairs = Counter.builder("dtx.quorum.read.repairs")
                .description("Versions sent to replicas that answered a read with an older one").register(meters);
        this.standInWrites = Counter.builder("dtx.quorum.standin.writes")
                .description("Writes that went to a stand-in, with a hint, because an owner was down").register(meters);
        this.hintsDelivered = Counter.builder("dtx.quorum.hints.delivered")
                .description("Hints this node handed back to their owner").register(meters);
        Gauge.builder("dtx.quorum.hints.pending", hints, HintStore::pending)
                .description("Hints this node holds for owners that have not had them back yet").register(meters);
    }

    /** One finished request as its coordinator saw it. */
    void request(String operation, String quorum, boolean ok, long nanos, int messagesSent) {
        String key = operation + "|" + quorum + "|" + ok;
        latency.computeIfAbsent(key, k -> Timer.builder("dtx.quorum.requests")
                .description("Quorum reads and writes this node coordinated, by R or W and outcome")
                .tag("operation", operation).tag("quorum", quorum).tag("outcome", ok ? "ok" : "failed")
                .register(meters)).record(nanos, TimeUnit.NANOSECONDS);
        viewLatency.computeIfAbsent(key, k -> Timer.builder("quorum.requests.view")
                .tag("operation", operation).tag("quorum", quorum).tag("outcome", ok ? "ok" : "failed")
                .publishPercentiles(0.5, 0.95, 0.99).distributionStatisticExpiry(WINDOW)
                .register(viewMeters)).record(nanos, TimeUnit.NANOSECONDS);
        messages.computeIfAbsent(operation, k -> DistributionSummary.builder("dtx.quorum.messages.per.request")
                .description("Messages to other replicas one request sent before it was answered")
                .tag("operation", operation).distributionStatisticExpiry(WINDOW).register(meters)).record(messagesSent);
    }

    void siblingsRead(int count) {
        siblings.computeIfAbsent(count, c -> Counter.builder("dtx.quorum.read.siblings")
                .description("Reads by the number of siblings they answered").tag("siblings", String.valueOf(c))
                .register(meters)).increment();
    }

    void readRepair(int versions) {
        readRepairs.increment(versions);
    }

    void standInWrite() {
        standInWrites.increment();
    }

    void hintsDelivered(int count) {
        hintsDelivered.increment(count);
    }

    /**
     * Latency of one kind of request.
     *
     * @param operation read or write
     * @param quorum the R or W it waited for, e.g. {@code R=2}
     * @param outcome ok, or failed (the quorum was not reached)
     * @param count how many
     * @param meanMs mean latency
     * @param p50Ms median, over the last few minutes
     * @param p95Ms 95th percentile, over the last few minutes
     * @param p99Ms 99th percentile, over the last few minutes
     * @param maxMs the slowest, over the last few minutes
     */
    record LatencyView(String operation, String quorum, String outcome, long count, double meanMs, double p50Ms,
            double p95Ms, double p99Ms, double maxMs) {
    }

    /**
     * @param count requests
     * @param mean messages per request
     * @param max most messages one request sent
     */
    record MessagesView(long count, double mean, double max) {
    }

    /**
     * @param latency per operation and R or W
     * @param messagesPerRequest per operation: messages to other replicas before the answer (read repairs and
     *        the writes still in flight after W acks are not counted here)
     * @param siblings reads by the number of siblings they answered
     * @param readRepairs versions sent by read repair
     * @param standInWrites writes that went to a stand-in because an owner was down
     * @param hintsPending hints held here for owners that have not had them back yet
     * @param hintsDelivered hints this node handed back
     */
    record View(List<LatencyView> latency, Map<String, MessagesView> messagesPerRequest, Map<String, Long> siblings,
            long readRepairs, long standInWrites, long hintsPending, long hintsDelivered) {
    }

    View view() {
        List<LatencyView> rows = new ArrayList<>();
        viewLatency.values().stream()
                .sorted(java.util.Comparator.comparing((Timer t) -> t.getId().getTag("operation"))
                        .thenComparing(t -> t.getId().getTag("quorum")).thenComparing(t -> t.getId().getTag("outcome")))
                .forEach(t -> rows.add(latencyView(t)));
        Map<String, MessagesView> perRequest = new TreeMap<>();
        messages.forEach((op, s) -> perRequest.put(op, new MessagesView(s.count(), round(s.mean()), s.max())));
        Map<String, Long> siblingCounts = new TreeMap<>();
        siblings.forEach((n, c) -> siblingCounts.put(String.valueOf(n), (long) c.count()));
        return new View(rows, perRequest, siblingCounts, (long) readRepairs.count(), (long) standInWrites.count(),
                hints.pending(), (long) hintsDelivered.count());
    }

    private static LatencyView latencyView(Timer t) {
        HistogramSnapshot snapshot = t.takeSnapshot();
        double p50 = 0;
        double p95 = 0;
        double p99 = 0;
        for (ValueAtPercentile p : snapshot.percentileValues()) {
            double ms = round(p.value(TimeUnit.MILLISECONDS));
            if (p.percentile() == 0.5) {
                p50 = ms;
            } else if (p.percentile() == 0.95) {
                p95 = ms;
            } else if (p.percentile() == 0.99) {
                p99 = ms;
            }
        }
        return new LatencyView(t.getId().getTag("operation"), t.getId().getTag("quorum"), t.getId().getTag("outcome"),
                t.count(), round(t.mean(TimeUnit.MILLISECONDS)), p50, p95, p99, round(t.max(TimeUnit.MILLISECONDS)));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
