package io.dtxlab.platform.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * {@code process.resident.memory} (Prometheus {@code process_resident_memory_bytes}): the node's resident set size,
 * the memory the operating system really gives the process (heap, metaspace, code cache, thread stacks and native
 * allocations), as Linux reports it in {@code /proc/self/status} ({@code VmRSS}). The JVM's own memory meters see
 * only the parts the JVM manages, so a benchmark reads this one. Not registered where there is no such file.
 */
@Component
class ResidentMemoryMetrics implements MeterBinder {

    private static final Path STATUS = Path.of("/proc/self/status");

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!Files.isReadable(STATUS)) {
            return;
        }
        Gauge.builder("process.resident.memory", ResidentMemoryMetrics::residentBytes)
                .description("Resident set size of this process (VmRSS in /proc/self/status)")
                .baseUnit("bytes")
                .register(registry);
    }

    /** VmRSS in bytes, or NaN if it cannot be read. */
    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return parseKiloBytes(line.substring("VmRSS:".length())) * 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a gauge that cannot be read reports NaN rather than failing the scrape
        }
        return Double.NaN;
    }

    /** "  123456 kB" to 123456. */
    static long parseKiloBytes(String value) {
        String digits = value.trim();
        int space = digits.indexOf(' ');
        return Long.parseLong(space < 0 ? digits : digits.substring(0, space));
    }
}
