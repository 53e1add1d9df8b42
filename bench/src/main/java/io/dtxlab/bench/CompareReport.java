package io.dtxlab.bench;

import java.util.List;

/**
 * Several runs of one workload, one configuration after the other, and how they compare.
 *
 * @param workload the workload every run used
 * @param runs the runs, in the order they ran
 * @param ratios each run against the first (the baseline) and against the one before
 */
public record CompareReport(String workload, List<BenchReport> runs, List<Ratio> ratios) {

    /**
     * {@code value} = metric of {@code run} / metric of {@code against}.
     *
     * @param metric e.g. {@code throughputPerS}, {@code latencyMs.p50}, {@code write.p50}
     * @param meaning what the ratio shows, in a phrase (the distribution tax, ...), or empty
     */
    public record Ratio(String run, String against, String metric, Double value, String meaning) {
    }

    public boolean consistent() {
        return runs.stream().allMatch(BenchReport::consistent);
    }
}
