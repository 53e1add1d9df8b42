package io.dtxlab.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Arrays;
import org.springframework.stereotype.Component;

/**
 * Every {@code dtx.*} timer publishes the same fixed latency buckets, 0.25 ms to 30 s, and no quantiles of its own.
 * <p>
 * Why buckets: a Prometheus histogram ({@code dtx_..._seconds_bucket{le=...}}) is cumulative, so whoever scrapes it
 * computes percentiles over any window and across nodes ({@code histogram_quantile(0.99, sum by (le)
 * (rate(..._bucket[1m])))}), and an idle node keeps its history. A client-side quantile ({@code {quantile="0.99"}})
 * is one node's estimate over its last few minutes: it cannot be aggregated, and it decays to 0 when the node is idle.
 * <p>
 * Why these 26: Micrometer's own percentile histogram, even clipped to 1 ms to 30 s, publishes about 70 buckets per
 * series, and {@code dtx.messages} has a series per kind, peer and outcome. These are finer where the lab's phases
 * live (0.25 ms to 20 ms: a message, a vote, a quorum write) and coarser up to the 30 s of the longest timeouts. The
 * quantile a dashboard computes is interpolated within a bucket, so it is exact to about a bucket's width.
 * <p>
 * Cost per recording: a binary search over 26 bounds and one counter increment, without allocation.
 */
@Component
public class LatencyBuckets implements MeterFilter {

    /** The bucket bounds, in milliseconds (each is a {@code le} label: the upper bound, inclusive). */
    public static final double[] BOUNDS_MS = {0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300,
            500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000, 30_000};

    private static final String PREFIX = "dtx.";

    private static final DistributionStatisticConfig BUCKETS = DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .percentiles()
            .serviceLevelObjectives(Arrays.stream(BOUNDS_MS).map(ms -> ms * 1_000_000).toArray())
            .minimumExpectedValue((double) Duration.ofNanos(250_000).toNanos())
            .maximumExpectedValue((double) Duration.ofSeconds(30).toNanos())
            .build();

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith(PREFIX)) {
            return config;
        }
        return BUCKETS.merge(config);
    }
}
