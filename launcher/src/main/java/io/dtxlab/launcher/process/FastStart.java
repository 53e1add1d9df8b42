package io.dtxlab.launcher.process;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.workspace.RepoRoot;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Faster node start-up from a class-data archive (AppCDS), made once per build of each module. A
 * Spring Boot node spends most of its start loading and verifying ~20,000 classes from nested jars; a
 * dynamic CDS archive holds them parsed and verified, and the JVM maps it instead. Measured for one
 * node alone: 9.1 s to a refreshed context from the plain jar, 4.1 s with the archive. The archive is
 * mapped read-only, so the three coordinators (and the replicas) share one copy in memory.
 *
 * <p>Spring Boot's documented recipe: extract the exec jar ({@code java -Djarmode=tools -jar X extract}),
 * run it once with {@code -XX:ArchiveClassesAtExit} and {@code -Dspring.context.exit=onRefresh} (the
 * context is built, no port is opened, Kafka is not contacted), then start every node with
 * {@code -XX:SharedArchiveFile}. {@link #prepare} does the first two before {@code up} (and {@code start}
 * NODE) starts nodes, at most {@value #MAX_PARALLEL} modules at a time; see {@link ClassDataArchive} for
 * the layout under {@code <data>/cds} and {@link ArchiveFingerprint} for when an archive is stale.
 *
 * <p>Nothing here may keep the lab from starting: a module whose archive cannot be made starts from its
 * exec jar as before, with a one-line warning; a broken archive only makes that JVM warn and run without
 * it ({@code -Xshare:auto}). Set {@value #OPT_OUT_ENV}{@code =1} to start every node from its exec jar.
 */
public final class FastStart {

    /** Set (to anything but {@code 0} or {@code false}) to start nodes from their plain exec jars. */
    public static final String OPT_OUT_ENV = "DTX_NO_CDS";

    /** A training run is a whole Spring Boot start: two at a time keep two cores busy. */
    static final int MAX_PARALLEL = 2;
    /** Per step (extract, train); a training run takes 10-20 s on 2 busy cores. */
    static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);
    private static final File DEV_NULL = new File("/dev/null");

    private final RepoRoot repo;
    private final Path cdsDir;
    private final Path logsDir;
    private final boolean enabled;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    FastStart(RepoRoot repo, Path cdsDir, Path logsDir, boolean enabled) {
        this.repo = repo;
        this.cdsDir = cdsDir;
        this.logsDir = logsDir;
        this.enabled = enabled;
    }

    /** On unless {@value #OPT_OUT_ENV} says otherwise. */
    public static FastStart of(RepoRoot repo, Workspace workspace) {
        return new FastStart(repo, workspace.cdsDir(), workspace.logsDir(), !optedOut(System.getenv(OPT_OUT_ENV)));
    }

    /** Every node from its exec jar. */
    public static FastStart off(RepoRoot repo, Workspace workspace) {
        return new FastStart(repo, workspace.cdsDir(), workspace.logsDir(), false);
    }

    static boolean optedOut(String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return !v.equals("0") && !v.equals("false") && !v.equals("no");
    }

    public boolean enabled() {
        return enabled;
    }

    public Path cdsDir() {
        return cdsDir;
    }

    /**
     * Makes sure each module of {@code nodes} has an archive for its current build, training those that
     * lack one. Returns the modules that will start from an archive. {@code exclusive}: no node of this
     * data dir runs (as in {@code up}), so archives of earlier builds can be deleted.
     *
     * @param environment the environment of a training run of that node, given its scratch data dir
     */
    public List<String> prepare(Collection<ClusterNode> nodes, BiFunction<ClusterNode, Path, Map<String, String>> environment,
            ProgressLog log, boolean exclusive) {
        if (!enabled) {
            return List.of();
        }
        Map<NodeRole, ClusterNode> byRole = new LinkedHashMap<>();
        nodes.forEach(node -> byRole.putIfAbsent(node.role(), node));
        int threads = Math.max(1, Math.min(MAX_PARALLEL, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "dtx-fast-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (ClusterNode node : byRole.values()) {
                tasks.add(pool.submit(() -> prepare(node, environment, log, exclusive)));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
        } catch (ExecutionException e) {
            log.line("fast start: " + e.getCause()); // prepare(node...) catches all it expects
        } finally {
            pool.shutdownNow();
        }
        return byRole.keySet().stream().filter(role -> launchOf(role).classDataArchive().isPresent())
                .map(NodeRole::module).toList();
    }

    private void prepare(ClusterNode node, BiFunction<ClusterNode, Path, Map<String, String>> environment,
            ProgressLog log, boolean exclusive) {
        String module = node.role().module();
        try {
            Path execJar = repo.jarOf(node.role());
            if (aborted || !Files.isRegularFile(execJar)) {
                return; // no jar: starting the node says so
            }
            ClassDataArchive archive = archiveOf(execJar, module);
            if (exclusive) {
                archive.removeOthers();
            }
            switch (archive.status()) {
                case READY -> { }
                case FAILED -> log.step(module, "fast start unavailable for this build (" + archive.failure()
                        + "); starting from the plain jar. To retry: rm -r " + archive.dir());
                case MISSING -> build(archive, node, environment, log);
            }
        } catch (IOException | RuntimeException e) {
            log.step(module, "fast start unavailable (" + e + "); starting from the plain jar");
        }
    }

    /** Extracts and trains, under a file lock: a {@code ./dtx start} elsewhere may be at the same module. */
    private void build(ClassDataArchive archive, ClusterNode node,
            BiFunction<ClusterNode, Path, Map<String, String>> environment, ProgressLog log) throws IOException {
        String module = node.role().module();
        Files.createDirectories(archive.moduleDir());
        try (FileChannel channel = FileChannel.open(archive.moduleDir().resolve(ClassDataArchive.LOCK),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            if (archive.status() != ClassDataArchive.Status.MISSING) {
                return; // made (or given up on) while we waited for the lock
            }
            double started = log.elapsedSeconds();
            log.step(module, "preparing fast start (class-data archive, once per build)");
            try {
                archive.reset();
                Path trainingLog = logsDir.resolve("fast-start-" + module + ".log");
                Files.createDirectories(logsDir);
                Files.writeString(trainingLog, "==== dtx: class-data archive for " + module + " at " + Instant.now()
                        + " ====\n", StandardCharsets.UTF_8);
                String failure = train(archive, node, environment, trainingLog);
                if (failure == null) {
                    archive.markReady();
                    log.step(module, "fast start ready (" + ProgressLog.seconds(log.elapsedSeconds() - started) + ")");
                } else if (!aborted) {
                    log.step(module, "fast start unavailable (" + failure + "; see " + trainingLog
                            + "); starting from the plain jar");
                }
            } finally {
                if (archive.status() == ClassDataArchive.Status.MISSING) {
                    ClassDataArchive.deleteTree(archive.dir()); // ~200 MB of an attempt that did not finish
                    ClassDataArchive.deleteTree(archive.trainingDataDir());
                }
            }
        }
    }

    /** Returns null on success, else why not; a failure of the training itself is remembered. */
    private String train(ClassDataArchive archive, ClusterNode node,
            BiFunction<ClusterNode, Path, Map<String, String>> environment, Path trainingLog) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Integer extracted = run(archive.extractCommand(java), Map.of(), trainingLog);
        if (extracted == null || extracted != 0) {
            return extracted == null ? "extracting the jar timed out" : "extracting the jar failed (exit code " + extracted + ")";
        }
        Files.createDirectories(archive.trainingDataDir());
        Integer trained = run(archive.trainingCommand(java, NodeJvm.flags()),
                environment.apply(node, archive.trainingDataDir()), trainingLog);
        if (trained == null) {
            return "the training run timed out after " + STEP_TIMEOUT.toSeconds() + "s";
        }
        if (aborted) {
            return "stopped";
        }
        String failure = trained != 0 ? "the training run exited with code " + trained
                : !Files.isRegularFile(archive.archive()) || Files.size(archive.archive()) == 0
                ? "the training run wrote no archive" : null;
        if (failure != null) {
            archive.markFailed(failure + "; see " + trainingLog);
        }
        return failure;
    }

    /** The exit code, or null if it timed out (then it was killed). */
    private Integer run(List<String> command, Map<String, String> environment, Path log) throws IOException {
        if (aborted) {
            return null;
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo.dir().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (DEV_NULL.exists()) {
            builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        }
        builder.environment().putAll(environment);
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", NodeJvm.MALLOC_ARENA_MAX);
        Process process = builder.start();
        running.add(process);
        try {
            if (aborted) {
                process.destroyForcibly();
            }
            if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return null;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return null;
        } finally {
            running.remove(process);
        }
    }

    /** How to start a node of {@code role}: from its archive if one is ready for the current build. */
    public NodeLaunch launchOf(NodeRole role) {
        Path execJar = repo.jarOf(role);
        if (!enabled || !Files.isRegularFile(execJar)) {
            return NodeLaunch.plain(execJar);
        }
        try {
            ClassDataArchive archive = archiveOf(execJar, role.module());
            return archive.status() == ClassDataArchive.Status.READY ? archive.launch() : NodeLaunch.plain(execJar);
        } catch (IOException | RuntimeException e) {
            return NodeLaunch.plain(execJar);
        }
    }

    /** Stops any training run at once (Ctrl-C during {@code up}); no failure is recorded for it. */
    public void abort() {
        aborted = true;
        running.forEach(Process::destroyForcibly);
    }

    private ClassDataArchive archiveOf(Path execJar, String module) throws IOException {
        return new ClassDataArchive(execJar, cdsDir.resolve(module), ArchiveFingerprint.current(execJar));
    }
}
