package io.dtxlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quantiles of a histogram's growth over the window, estimated as PromQL's {@code histogram_quantile} does. */
class HistogramQuantilesTest {

    private static PrometheusText scrape(int fast, int slow, int all, int otherStage) {
        return PrometheusText.parse("""
                dtx_orders_begin_seconds_bucket{stage="queued",le="0.01"} %d
                dtx_orders_begin_seconds_bucket{stage="queued",le="0.02"} %d
                dtx_orders_begin_seconds_bucket{stage="queued",le="+Inf"} %d
                dtx_orders_begin_seconds_bucket{stage="answer",le="0.01"} 0
                dtx_orders_begin_seconds_bucket{stage="answer",le="0.02"} 0
                dtx_orders_begin_seconds_bucket{stage="answer",le="+Inf"} %d
                """.formatted(fast, slow, all, otherStage));
    }

    @Test
    void theWindowsGrowthIsInterpolatedWithinTheBucketTheRankFallsIn() {
        // in the window: 50 begins up to 10 ms, 40 more up to 20 ms, 10 beyond; what came before the window is not counted
        MetricsDelta delta = new MetricsDelta(Map.of("order", scrape(10, 20, 20, 5)),
                Map.of("order", scrape(60, 110, 120, 500)));

        List<Double> q = delta.quantilesMs("dtx_orders_begin_seconds", l -> "queued".equals(l.get("stage")),
                0.5, 0.75, 0.99).orElseThrow();

        assertThat(q).containsExactly(10.0, 16.3, 20.0); // p99 lies beyond the last bound: the bound, as PromQL says
    }

    @Test
    void nodesAddUpAndAStageWithNothingInTheWindowHasNoQuantiles() {
        MetricsDelta delta = new MetricsDelta(Map.of("a", scrape(0, 0, 0, 7), "b", scrape(0, 0, 0, 0)),
                Map.of("a", scrape(50, 50, 50, 7), "b", scrape(0, 50, 50, 0)));

        assertThat(delta.quantilesMs("dtx_orders_begin_seconds", l -> "queued".equals(l.get("stage")), 0.5))
                .contains(List.of(10.0));
        assertThat(delta.quantilesMs("dtx_orders_begin_seconds", l -> "answer".equals(l.get("stage")), 0.5)).isEmpty();
        assertThat(delta.quantilesMs("dtx_tx_phase_seconds", l -> true, 0.5)).isEmpty();
    }

    @Test
    void aNodeThatRestartedBetweenTheScrapesCountsAllItHasNow() {
        // node a counted 200 before the window and, restarted, 50 since; node b grew by 50 slow ones
        MetricsDelta delta = new MetricsDelta(Map.of("a", scrape(100, 150, 200, 0), "b", scrape(0, 0, 0, 0)),
                Map.of("a", scrape(50, 50, 50, 0), "b", scrape(0, 50, 50, 0)));

        assertThat(delta.quantilesMs("dtx_orders_begin_seconds", l -> "queued".equals(l.get("stage")), 0.25, 0.75))
                .contains(List.of(5.0, 15.0));
    }
}
