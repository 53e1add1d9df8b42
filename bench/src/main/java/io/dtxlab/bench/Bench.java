package io.dtxlab.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The engine: readies the cluster, drives one workload through a warm-up and a measured window, scrapes every node
 * around the window, audits the cluster afterwards, and reports. The same steps every time, whatever the workload.
 */
public final class Bench {

    /**
     * One run.
     *
     * @param workload an {@link OrdersWorkload.Spec}, {@link KvWorkload.Spec} or {@link QuorumWorkload.Spec}
     * @param loop closed or open loop
     * @param duration the measured window
     * @param warmup before it, discarded
     * @param timeout how long one request may take (then it is an ERROR)
     */
    public record RunSpec(Object workload, LoopSpec loop, Duration duration, Duration warmup, Duration timeout) {
        public RunSpec {
            Objects.requireNonNull(workload);
            Objects.requireNonNull(loop);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("--duration must be more than 0");
            }
            if (warmup.isNegative()) {
                throw new IllegalArgumentException("--warmup must not be negative");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("--timeout must be more than 0");
            }
        }
    }

    private final Targets targets;
    private final PrintStream progress;
    private final boolean tty;
    private final Map<String, Long> localPids;
    private final Duration settle;

    /**
     * @param targets the cluster
     * @param progress where the per-second progress line goes (stderr), or null for none
     * @param tty whether {@code progress} is a terminal: the line then overwrites itself
     * @param localPids local processes to measure from the OS (e.g. {@code launcher+kafka}), by report name
     * @param settle how long the audit waits for the cluster to settle (nothing in doubt, slaves caught up)
     */
    public Bench(Targets targets, PrintStream progress, boolean tty, Map<String, Long> localPids, Duration settle) {
        this.targets = targets;
        this.progress = progress;
        this.tty = tty;
        this.localPids = Map.copyOf(localPids);
        this.settle = settle;
    }

    /** Seeds the data set orders use, without a run. */
    public Map<String, Object> seed(Seeder.Spec spec, Duration timeout) {
        try (Http http = new Http(timeout, targets.adminToken())) {
            return new Seeder(targets, http).seed(spec);
        }
    }

    /**
     * @throws IllegalStateException when the cluster cannot be readied (nothing is measured then)
     */
    public BenchReport run(RunSpec spec) throws InterruptedException {
        try (Http http = new Http(spec.timeout(), targets.adminToken())) {
            Workload workload = workload(spec.workload(), http);
            Map<String, Object> prepared = workload.prepare();
            double hostLoopBefore = HostSpeed.loopMs();
            ClusterProbe probe = new ClusterProbe(targets, http, localPids);
            NanoClock clock = NanoClock.SYSTEM;

            long origin = clock.nanoTime();
            long windowStart = origin + spec.warmup().toNanos();
            long windowEnd = windowStart + spec.duration().toNanos();
            LatencyRecorder recorder = new LatencyRecorder(windowStart, windowEnd, workload.successes(), workload.errors(), origin);
            LoadDriver driver = new LoadDriver(clock);
            ScheduledExecutorService ticker = progressLine(workload, recorder, origin, windowStart, windowEnd, clock);
            ClusterProbe.Snapshot before;
            Instant startedAt;
            long scrapedFrom;
            try {
                driver.start(workload, spec.loop(), recorder, origin, windowEnd);
                clock.sleepUntil(windowStart);
                startedAt = Instant.now();
                scrapedFrom = System.nanoTime();
                before = probe.scrape();
                clock.sleepUntil(windowEnd);
                driver.awaitDone(spec.timeout().plusSeconds(5));
            } finally {
                if (ticker != null) {
                    ticker.shutdownNow();
                    ticker.awaitTermination(2, TimeUnit.SECONDS);
                    progress.println();
                    progress.flush();
                }
            }
            ClusterProbe.Snapshot after = probe.scrape();
            // the CPU figures grow from one scrape to the other, the drain after the window included
            double scrapedSeconds = (System.nanoTime() - scrapedFrom) / 1e9;
            Map<String, Object> audit = workload.audit(driver.sent());
            // after the audit, as before the warm-up, the bench sends nothing; the cluster may still be finishing work
            // (seeding before, collections and compaction after), and on a small machine the loop counts that too
            double hostLoopAfter = HostSpeed.loopMs();
            return report(workload, spec, recorder, prepared, startedAt, before, after, scrapedSeconds, audit,
                    hostLoopBefore, hostLoopAfter);
        }
    }

    /**
     * Measures the cluster at rest: sends nothing for {@code duration} and reports what every node spent, so that
     * background work (heartbeats, timers, polling) shows apart from the cost of requests.
     */
    public RestReport rest(Duration duration) throws InterruptedException {
        try (Http http = new Http(Duration.ofSeconds(10), targets.adminToken())) {
            ClusterProbe probe = new ClusterProbe(targets, http, localPids);
            Instant startedAt = Instant.now();
            long start = System.nanoTime();
            ClusterProbe.Snapshot before = probe.scrape();
            NanoClock.SYSTEM.sleepUntil(start + duration.toNanos());
            ClusterProbe.Snapshot after = probe.scrape();
            double seconds = (System.nanoTime() - start) / 1e9;
            ClusterProbe.Spent spent = ClusterProbe.spent(before, after, targets.coordinators());
            Map<String, Double> percent = new LinkedHashMap<>();
            spent.cpuSecondsByNode().forEach((node, cpu) ->
                    percent.put(node, cpu == null ? null : ClusterProbe.round3(cpu * 100 / seconds)));
            Double total = spent.cpuSecondsTotal() == null ? null
                    : ClusterProbe.round3(spent.cpuSecondsTotal() * 100 / seconds);
            return new RestReport("rest", ClusterProbe.round3(seconds),
                    startedAt.truncatedTo(ChronoUnit.MILLIS).toString(), spent.cpuSecondsByNode(), percent, total,
                    spent.rssMbByNode(), spent.leaderChanges(), machine());
        }
    }

    /** Runs each spec in turn and compares them; one bad audit does not stop the others. */
    public CompareReport compare(List<RunSpec> specs) throws InterruptedException {
        List<BenchReport> runs = new ArrayList<>();
        for (RunSpec spec : specs) {
            runs.add(run(spec));
        }
        return new CompareReport(runs.get(0).workload(), runs, Ratios.of(runs));
    }

    private Workload workload(Object spec, Http http) {
        if (spec instanceof OrdersWorkload.Spec orders) {
            return new OrdersWorkload(targets, http, orders, settle);
        }
        if (spec instanceof KvWorkload.Spec kv) {
            return new KvWorkload(targets, http, kv, settle);
        }
        if (spec instanceof QuorumWorkload.Spec quorum) {
            return new QuorumWorkload(targets, http, quorum);
        }
        throw new IllegalArgumentException("not a workload: " + spec);
    }

    private ScheduledExecutorService progressLine(Workload workload, LatencyRecorder recorder, long origin,
            long windowStart, long windowEnd, NanoClock clock) {
        if (progress == null) {
            return null;
        }
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        long total = (windowEnd - origin) / 1_000_000_000L;
        ticker.scheduleAtFixedRate(() -> {
            long now = clock.nanoTime();
            LatencyRecorder.Live live = recorder.live(now);
            String line = String.format(Locale.ROOT, "%s %s %3ds/%ds%s %7d ops/s  p99 %8.1f ms  errors %d",
                    workload.name(), workload.label(), (now - origin) / 1_000_000_000L, total,
                    now < windowStart ? " warmup" : now > windowEnd ? " drain " : "       ", live.opsLastSecond(),
                    live.p99Ms(), live.errors());
            progress.print(tty ? "\r" + line + "   " : line + System.lineSeparator());
            progress.flush();
        }, 1, 1, TimeUnit.SECONDS);
        return ticker;
    }

    private BenchReport report(Workload workload, RunSpec spec, LatencyRecorder recorder, Map<String, Object> prepared,
            Instant startedAt, ClusterProbe.Snapshot before, ClusterProbe.Snapshot after, double scrapedSeconds,
            Map<String, Object> audit, double hostLoopBefore, double hostLoopAfter) {
        double seconds = spec.duration().toNanos() / 1e9;
        long successes = recorder.successes();
        long operations = recorder.operations();
        ClusterProbe.Spent spent = ClusterProbe.spent(before, after, targets.coordinators());
        MetricsDelta delta = new MetricsDelta(before.metrics(), after.metrics());
        List<String> notes = new ArrayList<>(spent.notes());
        HostSpeed.changed(hostLoopBefore, hostLoopAfter).ifPresent(notes::add);
        Map<String, Object> hostLoopMs = new LinkedHashMap<>();
        hostLoopMs.put("before", hostLoopBefore);
        hostLoopMs.put("after", hostLoopAfter);
        Double cpuMsPerOp = spent.cpuSecondsTotal() == null || successes == 0 ? null
                : ClusterProbe.round3(spent.cpuSecondsTotal() * 1000 / successes);
        if (spent.cpuSecondsTotal() == null) {
            notes.add("no node exposes process CPU time: cpuMsPerOp is null");
        }
        Double cpuBusyPercent = spent.cpuSecondsTotal() == null || scrapedSeconds <= 0 ? null
                : ClusterProbe.round3(spent.cpuSecondsTotal() * 100
                        / (scrapedSeconds * Runtime.getRuntime().availableProcessors()));
        Double cpuWaitMsPerOp = spent.cpuWaitSecondsTotal() == null || successes == 0 ? null
                : ClusterProbe.round3(spent.cpuWaitSecondsTotal() * 1000 / successes);
        return new BenchReport(workload.name(), workload.label(), workload.parameters(),
                new BenchReport.Loop(spec.loop().type(), spec.loop().concurrency(), spec.loop().rate()),
                seconds, spec.warmup().toNanos() / 1e9, startedAt.truncatedTo(ChronoUnit.MILLIS).toString(),
                operations, recorder.outcomes(), successes, ClusterProbe.round3(successes / seconds),
                ClusterProbe.round3(operations / seconds), recorder.latency(), recorder.latencyByOutcome(),
                recorder.latencyByOperation(), spec.loop().open() ? recorder.serviceTime() : null,
                recorder.timeline((long) Math.ceil(seconds)), workload.messages(delta, recorder), workload.stages(delta),
                spent.leaderChanges(), cpuMsPerOp, cpuBusyPercent, cpuWaitMsPerOp, spent.cpuSecondsByNode(),
                spent.cpuWaitSecondsByNode(), spent.rssMbByNode(), spent.gcByNode(),
                audit, prepared, notes, machine(hostLoopMs));
    }

    /**
     * {@link #machine()} and {@code hostLoopMs}: {@code {before, after}}, {@link HostSpeed#loopMs()} in ms before the
     * warm-up and after the audit.
     */
    static Map<String, Object> machine(Map<String, Object> hostLoopMs) {
        Map<String, Object> m = machine();
        m.put("hostLoopMs", hostLoopMs);
        return m;
    }

    static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        return m;
    }
}
