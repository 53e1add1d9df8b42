package io.dtxlab.platform.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code process.cpu.wait} (Prometheus {@code process_cpu_wait_seconds_total}): how long this process's threads were
 * ready to run but waited for a core, summed over its threads. Linux keeps it per thread, as the second figure of
 * {@code /proc/self/task/<tid>/schedstat} (run-queue delay in ns, see the kernel's
 * {@code Documentation/scheduler/sched-stats.rst}). On a machine that runs the whole cluster, a message's latency is
 * its CPU plus this wait at every thread it passes through, so beside {@code process.cpu.time} it tells how much of a
 * run's latency was queueing for a core. Not registered where there is no such file.
 *
 * <p>Linux forgets a thread's figure when the thread ends, so the counter adds up each thread's growth between two
 * reads: it never goes down, and misses only what a thread waited between the last read and its end.
 */
@Component
class CpuWaitMetrics implements MeterBinder {

    private static final Path TASKS = Path.of("/proc/self/task");

    private final Path tasks;
    /** Each live thread's figure at the last read, ns, by thread id. */
    private final Map<String, Long> seen = new HashMap<>();
    private long totalNanos;

    CpuWaitMetrics() {
        this(TASKS);
    }

    CpuWaitMetrics(Path tasks) {
        this.tasks = tasks;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!Files.isDirectory(tasks) || waitedSeconds() < 0) {
            return; // not Linux, or a kernel that keeps no schedstat (CONFIG_SCHED_INFO off)
        }
        FunctionCounter.builder("process.cpu.wait", this, CpuWaitMetrics::waitedSeconds)
                .description("Time this process's threads were ready to run but waited for a core, summed over its "
                        + "threads (Linux schedstat run-queue delay)")
                .baseUnit("seconds")
                .register(registry);
    }

    /** The total so far, seconds; -1 if no thread's figure could be read. */
    synchronized double waitedSeconds() {
        Map<String, Long> now = new HashMap<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    String schedstat = Files.readString(thread.resolve("schedstat"));
                    now.put(thread.getFileName().toString(), runQueueNanos(schedstat));
                } catch (IOException | RuntimeException ended) {
                    // the thread ended between the listing and the read: its growth since the last read is lost
                }
            }
        } catch (IOException e) {
            return now.isEmpty() && seen.isEmpty() ? -1 : totalNanos / 1e9;
        }
        if (now.isEmpty() && seen.isEmpty()) {
            return -1;
        }
        now.forEach((tid, nanos) -> {
            Long before = seen.get(tid);
            // a smaller figure under a known id is a new thread that reuses the id of one that ended
            totalNanos += before == null || nanos < before ? nanos : nanos - before;
        });
        seen.clear();
        seen.putAll(now);
        return totalNanos / 1e9;
    }

    /** {@code "<on-cpu ns> <run-queue ns> <timeslices>"} to the run-queue ns. */
    static long runQueueNanos(String schedstat) {
        String[] fields = schedstat.trim().split("\\s+");
        if (fields.length < 2) {
            throw new IllegalArgumentException("not a schedstat line: '" + schedstat.trim() + "'");
        }
        return Long.parseLong(fields[1]);
    }
}
