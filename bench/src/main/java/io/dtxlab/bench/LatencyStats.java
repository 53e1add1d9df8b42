package io.dtxlab.bench;

import org.HdrHistogram.Histogram;

/**
 * Percentiles of one histogram, in milliseconds (the histograms hold microseconds, three significant digits).
 *
 * @param count samples
 * @param mean arithmetic mean
 * @param p50 median; {@code p90}, {@code p99}, {@code p999} (99.9th) likewise
 * @param max largest sample
 */
public record LatencyStats(long count, double mean, double p50, double p90, double p99, double p999, double max) {

    public static LatencyStats of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new LatencyStats(0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencyStats(h.getTotalCount(), ms(h.getMean()), ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()));
    }

    private static double ms(double micros) {
        return Math.round(micros) / 1000.0;
    }
}
