package io.dtxlab.launcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.yammer.metrics.core.MetricName;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.server.metrics.KafkaYammerMetrics;
import org.junit.jupiter.api.Test;

class MeterTicksTest {

    @Test
    void metersCreatedAtDifferentTimesTickAtTheSameInstant() throws Exception {
        assertThat(MeterTicks.coalesce()).isTrue();
        var registry = KafkaYammerMetrics.defaultRegistry();
        for (int i = 0; i < 20; i++) {
            registry.newMeter(new MetricName("test", "meter-ticks", "m" + i), "events", TimeUnit.SECONDS);
            Thread.sleep(7);
        }

        ScheduledThreadPoolExecutor pool = (ScheduledThreadPoolExecutor) registry.newScheduledThreadPool(2,
                MeterTicks.POOL);
        assertThat(pool).isInstanceOf(MeterTicks.Grid.class);
        long[] nextTicks = pool.getQueue().stream()
                .mapToLong(task -> ((Delayed) task).getDelay(TimeUnit.MILLISECONDS)).toArray();
        assertThat(nextTicks).hasSizeGreaterThanOrEqualTo(20);
        long spread = IntStream.range(0, nextTicks.length).mapToLong(i -> nextTicks[i]).max().getAsLong()
                - IntStream.range(0, nextTicks.length).mapToLong(i -> nextTicks[i]).min().getAsLong();
        assertThat(spread).as("ms between the first and the last meter's next tick").isLessThanOrEqualTo(5);
    }
}
