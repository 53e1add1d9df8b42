package io.dtxlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the cluster spent around a run: every node's {@code /actuator/prometheus} scraped before and after the
 * measured window, and local processes (the launcher, which hosts Kafka) read from the OS.
 */
final class ClusterProbe {

    /** Micrometer's process CPU counter, under the names its versions and registries give it, with the factor to seconds. */
    private static final Map<String, Double> CPU_METRICS = Map.of(
            "process_cpu_time_seconds_total", 1.0,
            "process_cpu_time_ns_total", 1e-9,
            "process_cpu_seconds_total", 1.0);
    static final String RSS_METRIC = "process_resident_memory_bytes";
    /** Micrometer's JVM GC metrics: pauses (a timer over every collector and cause) and bytes allocated. */
    static final String GC_PAUSE_COUNT = "jvm_gc_pause_seconds_count";
    static final String GC_PAUSE_SUM = "jvm_gc_pause_seconds_sum";
    static final String GC_ALLOCATED = "jvm_gc_memory_allocated_bytes_total";
    /** The platform's {@code process.cpu.wait}: the node's threads' time ready to run but waiting for a core. */
    static final String CPU_WAIT = "process_cpu_wait_seconds_total";

    /** One scrape of everything. */
    record Snapshot(Map<String, PrometheusText> metrics, Map<String, String> failures, Map<String, LocalSample> local) {
    }

    /** A local process: CPU so far and resident memory (null when the OS does not say). */
    record LocalSample(Double cpuSeconds, Double rssBytes) {
    }

    private final Targets targets;
    private final Http http;
    private final Map<String, Long> localPids;

    /** @param localPids local processes to measure from the OS, by the name the report gives them */
    ClusterProbe(Targets targets, Http http, Map<String, Long> localPids) {
        this.targets = targets;
        this.http = http;
        this.localPids = localPids;
    }

    Snapshot scrape() {
        Map<String, CompletableFuture<Http.Response>> answers = new LinkedHashMap<>();
        // every node at once, so the "before" scrape does not lag the window's start by a node at a time
        ExecutorService scrapers = Executors.newFixedThreadPool(Math.max(1, targets.urls().size()));
        targets.urls().forEach((node, url) -> answers.put(node,
                CompletableFuture.supplyAsync(() -> http.get(url + "/actuator/prometheus"), scrapers)));
        Map<String, PrometheusText> metrics = new LinkedHashMap<>();
        Map<String, String> failures = new TreeMap<>();
        answers.forEach((node, future) -> {
            Http.Response r = future.join();
            if (!r.ok()) {
                failures.put(node, r.describe());
                return;
            }
            try {
                metrics.put(node, PrometheusText.parse(r.body()));
            } catch (IllegalArgumentException e) {
                failures.put(node, e.getMessage());
            }
        });
        scrapers.shutdown();
        Map<String, LocalSample> local = new LinkedHashMap<>();
        localPids.forEach((name, pid) -> sampleLocal(pid).ifPresent(s -> local.put(name, s)));
        return new Snapshot(metrics, failures, local);
    }

    static Optional<LocalSample> sampleLocal(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return Optional.empty();
        }
        Double cpu = handle.get().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(null);
        return Optional.of(new LocalSample(cpu, rssBytes(pid)));
    }

    /** {@code VmRSS} of {@code /proc/<pid>/status}, in bytes; null off Linux. */
    static Double rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    static OptionalDouble cpuSeconds(PrometheusText metrics) {
        for (Map.Entry<String, Double> e : CPU_METRICS.entrySet()) {
            OptionalDouble v = metrics.sum(e.getKey());
            if (v.isPresent()) {
                return OptionalDouble.of(v.getAsDouble() * e.getValue());
            }
        }
        return OptionalDouble.empty();
    }

    /** What the cluster spent between two snapshots. */
    record Spent(Map<String, Double> cpuSecondsByNode, Map<String, Double> rssMbByNode,
            Map<String, BenchReport.Gc> gcByNode, Double cpuSecondsTotal, Map<String, Double> cpuWaitSecondsByNode,
            Double cpuWaitSecondsTotal, Map<String, Object> leaderChanges, List<String> notes) {
    }

    static Spent spent(Snapshot before, Snapshot after, List<String> coordinators) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Double> rss = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<String, PrometheusText> e : after.metrics().entrySet()) {
            OptionalDouble end = cpuSeconds(e.getValue());
            PrometheusText start = before.metrics().get(e.getKey());
            OptionalDouble begin = start == null ? OptionalDouble.empty() : cpuSeconds(start);
            if (end.isPresent() && begin.isPresent()) {
                cpu.put(e.getKey(), round3(end.getAsDouble() - begin.getAsDouble()));
            } else {
                cpu.put(e.getKey(), null);
            }
            OptionalDouble r = e.getValue().sum(RSS_METRIC);
            rss.put(e.getKey(), r.isPresent() ? round3(r.getAsDouble() / (1024 * 1024)) : null);
        }
        for (Map.Entry<String, LocalSample> e : after.local().entrySet()) {
            LocalSample start = before.local().get(e.getKey());
            if (start != null && start.cpuSeconds() != null && e.getValue().cpuSeconds() != null) {
                cpu.put(e.getKey(), round3(e.getValue().cpuSeconds() - start.cpuSeconds()));
            } else {
                cpu.put(e.getKey(), null);
            }
            rss.put(e.getKey(), e.getValue().rssBytes() == null ? null : round3(e.getValue().rssBytes() / (1024 * 1024)));
        }
        if (!after.failures().isEmpty()) {
            notes.add("not scraped after the run: " + after.failures());
        }
        if (!before.failures().isEmpty()) {
            notes.add("not scraped before the run: " + before.failures());
        }
        Map<String, Double> wait = cpuWait(before, after);
        return new Spent(cpu, rss, gc(before, after), total(cpu), wait, total(wait),
                leaderChanges(before, after, coordinators), notes);
    }

    /** The sum of the nodes' figures, or null when no node has one. */
    private static Double total(Map<String, Double> byNode) {
        List<Double> known = byNode.values().stream().filter(Objects::nonNull).toList();
        return known.isEmpty() ? null : round3(known.stream().mapToDouble(Double::doubleValue).sum());
    }

    /** Each scraped node's garbage collection in the window; a figure the node does not expose is null. */
    static Map<String, BenchReport.Gc> gc(Snapshot before, Snapshot after) {
        MetricsDelta delta = new MetricsDelta(before.metrics(), after.metrics());
        Map<String, BenchReport.Gc> gc = new LinkedHashMap<>();
        for (String node : after.metrics().keySet()) {
            OptionalDouble pauses = delta.delta(node, GC_PAUSE_COUNT);
            OptionalDouble seconds = delta.delta(node, GC_PAUSE_SUM);
            OptionalDouble allocated = delta.delta(node, GC_ALLOCATED);
            gc.put(node, new BenchReport.Gc(pauses.isPresent() ? Math.round(pauses.getAsDouble()) : null,
                    seconds.isPresent() ? round3(seconds.getAsDouble()) : null,
                    allocated.isPresent() ? round3(allocated.getAsDouble() / (1024 * 1024)) : null));
        }
        return gc;
    }

    /**
     * Each scraped node's wait for a core in the window ({@link #CPU_WAIT}), seconds; null where the node does not
     * say. The launcher is not scraped, so it has none.
     */
    static Map<String, Double> cpuWait(Snapshot before, Snapshot after) {
        MetricsDelta delta = new MetricsDelta(before.metrics(), after.metrics());
        Map<String, Double> wait = new LinkedHashMap<>();
        for (String node : after.metrics().keySet()) {
            OptionalDouble d = delta.delta(node, CPU_WAIT);
            wait.put(node, d.isPresent() ? round3(d.getAsDouble()) : null);
        }
        return wait;
    }

    /** The largest growth of {@code dtx_paxos_leader_changes_total} over the coordinators, and their ballots. */
    static Map<String, Object> leaderChanges(Snapshot before, Snapshot after, List<String> coordinators) {
        Map<String, Object> result = new LinkedHashMap<>();
        MetricsDelta delta = new MetricsDelta(before.metrics(), after.metrics());
        Map<String, Long> byCoordinator = new TreeMap<>();
        Double ballotBefore = null;
        Double ballotAfter = null;
        for (String c : coordinators) {
            delta.delta(c, "dtx_paxos_leader_changes_total").ifPresent(d -> byCoordinator.put(c, Math.round(d)));
            ballotBefore = max(ballotBefore, before.metrics().get(c), "dtx_paxos_ballot");
            ballotAfter = max(ballotAfter, after.metrics().get(c), "dtx_paxos_ballot");
        }
        result.put("max", byCoordinator.values().stream().max(Long::compare).orElse(null));
        result.put("byCoordinator", byCoordinator);
        result.put("ballotBefore", ballotBefore);
        result.put("ballotAfter", ballotAfter);
        return result;
    }

    private static Double max(Double current, PrometheusText metrics, String name) {
        if (metrics == null) {
            return current;
        }
        OptionalDouble v = metrics.samples().stream().filter(s -> s.name().equals(name))
                .mapToDouble(PrometheusText.Sample::value).max();
        if (v.isEmpty()) {
            return current;
        }
        return current == null ? v.getAsDouble() : Math.max(current, v.getAsDouble());
    }

    static double round3(double d) {
        return Math.round(d * 1000) / 1000.0;
    }

}
