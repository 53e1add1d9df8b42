package io.dtxlab.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ResidentMemoryMetricsTest {

    @Test
    void parsesTheKernelsKilobytes() {
        assertThat(ResidentMemoryMetrics.parseKiloBytes("    123456 kB")).isEqualTo(123456L);
    }

    @Test
    void reportsTheResidentSetOfThisProcessWhereLinuxTellsIt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ResidentMemoryMetrics().bindTo(registry);
        if (Files.isReadable(Path.of("/proc/self/status"))) {
            // a running JVM is resident for more than a megabyte
            assertThat(registry.get("process.resident.memory").gauge().value()).isGreaterThan(1 << 20);
        } else {
            assertThat(registry.find("process.resident.memory").gauge()).isNull();
        }
    }
}
