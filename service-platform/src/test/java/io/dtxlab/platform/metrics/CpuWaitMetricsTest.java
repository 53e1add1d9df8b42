package io.dtxlab.platform.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuWaitMetricsTest {

    @TempDir
    Path tasks;

    @Test
    void readsTheRunQueueDelayOfASchedstatLine() {
        assertThat(CpuWaitMetrics.runQueueNanos("1234567 89012 34\n")).isEqualTo(89012L);
        assertThatThrownBy(() -> CpuWaitMetrics.runQueueNanos("1234567")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addsUpEachThreadsGrowthAndKeepsWhatEndedThreadsWaited() throws IOException {
        thread("101", 1_000_000_000L);
        thread("102", 500_000_000L);
        CpuWaitMetrics wait = new CpuWaitMetrics(tasks);
        assertThat(wait.waitedSeconds()).isEqualTo(1.5);

        thread("101", 1_250_000_000L); // waited 0.25 s more
        Files.delete(tasks.resolve("102").resolve("schedstat")); // ended: its 0.5 s stay counted
        Files.delete(tasks.resolve("102"));
        thread("103", 100_000_000L); // new since the last read: all of it counts
        assertThat(wait.waitedSeconds()).isEqualTo(1.85);

        thread("103", 50_000_000L); // less than before under the same id: a new thread that reuses it
        assertThat(wait.waitedSeconds()).isEqualTo(1.9);
    }

    @Test
    void countsThisProcessWhereLinuxKeepsSchedstat() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new CpuWaitMetrics().bindTo(registry);
        if (Files.isReadable(Path.of("/proc/self/task/" + ProcessHandle.current().pid() + "/schedstat"))) {
            double first = registry.get("process.cpu.wait").functionCounter().count();
            assertThat(first).isGreaterThanOrEqualTo(0);
            assertThat(registry.get("process.cpu.wait").functionCounter().count()).isGreaterThanOrEqualTo(first);
        } else {
            assertThat(registry.find("process.cpu.wait").functionCounter()).isNull();
        }
    }

    private void thread(String tid, long runQueueNanos) throws IOException {
        Files.createDirectories(tasks.resolve(tid));
        Files.writeString(tasks.resolve(tid).resolve("schedstat"), "999 " + runQueueNanos + " 7\n");
    }
}
