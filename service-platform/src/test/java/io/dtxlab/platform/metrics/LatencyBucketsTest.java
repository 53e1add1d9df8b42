package io.dtxlab.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    LatencyBucketsTest() {
        registry.config().meterFilter(new LatencyBuckets());
    }

    @Test
    void aDtxTimerPublishesTwentySixBucketsAndNoQuantiles() {
        // even one that asks for client-side quantiles itself
        Timer timer = Timer.builder("dtx.tx.phase").tag("phase", "voting").publishPercentiles(0.5, 0.99)
                .register(registry);
        timer.record(Duration.ofMillis(4));

        String scrape = registry.scrape();

        assertThat(scrape.lines().filter(l -> l.startsWith("dtx_tx_phase_seconds_bucket{"))).hasSize(27); // + +Inf
        assertThat(scrape).contains("le=\"2.5E-4\"", "le=\"0.005\"", "le=\"30.0\"", "le=\"+Inf\"")
                .doesNotContain("quantile=");
        // 4 ms is counted in the 5 ms bucket, not in the 3 ms one
        assertThat(scrape).contains("dtx_tx_phase_seconds_bucket{phase=\"voting\",le=\"0.003\"} 0\n")
                .contains("dtx_tx_phase_seconds_bucket{phase=\"voting\",le=\"0.005\"} 1\n");
    }

    @Test
    void otherMetersKeepTheirOwnConfiguration() {
        Timer.builder("http.server.requests").register(registry).record(Duration.ofMillis(4));
        DistributionSummary.builder("dtx.paxos.write.steps").register(registry).record(3);

        assertThat(registry.scrape()).doesNotContain("_bucket{");
    }
}
