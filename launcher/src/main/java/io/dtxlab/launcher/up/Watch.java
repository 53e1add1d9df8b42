package io.dtxlab.launcher.up;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.health.Health;
import io.dtxlab.launcher.health.HealthProbe;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Watches the nodes from the pid files (so it also sees nodes restarted by {@code ./dtx start}) and
 * prints each change of state. Health is only probed while a node is starting: once UP, only its process
 * is watched, so the launcher adds no HTTP load during a benchmark. Once no node is starting, the watch sleeps until
 * a process ends or a pid file changes, so a cluster at rest costs the launcher nothing.
 */
final class Watch {

    enum State { STARTING, UP, EXITED }

    private static final Duration TICK = Duration.ofMillis(500);
    private static final Duration SUMMARY_EVERY = Duration.ofSeconds(10);
    /** How often the watch looks anyway once no node is starting (changes normally wake it at once). */
    private static final Duration SETTLED_TICK = Duration.ofSeconds(5);

    private final Workspace workspace;
    private final Topology topology;
    private final ProgressLog log;
    private final Function<String, Process> children;
    private final BooleanSupplier stopping;
    private final HealthProbe probe = new HealthProbe();
    private final Map<String, State> states = new LinkedHashMap<>();
    private final Map<String, Long> pids = new HashMap<>();
    private final Semaphore changed = new Semaphore(0);
    private boolean announced;

    Watch(Workspace workspace, Topology topology, ProgressLog log, Function<String, Process> children,
            BooleanSupplier stopping) {
        this.workspace = workspace;
        this.topology = topology;
        this.log = log;
        this.children = children;
        this.stopping = stopping;
        topology.nodes().forEach(n -> states.put(n.id(), State.STARTING));
    }

    /** Returns only when the shutdown hook has begun stopping the cluster. */
    void run() {
        double lastSummary = log.elapsedSeconds();
        Thread pidFiles = watchPidFiles();
        try {
            while (!stopping.getAsBoolean()) {
                tick();
                if (!announced && states.values().stream().allMatch(s -> s == State.UP)) {
                    announced = true;
                    SummaryTable.print(log, workspace, topology);
                } else if (!announced && log.elapsedSeconds() - lastSummary >= SUMMARY_EVERY.toSeconds()) {
                    lastSummary = log.elapsedSeconds();
                    log.line(waitingSummary());
                }
                if (states.containsValue(State.STARTING)) {
                    sleep(TICK); // health is probed until the node answers
                } else {
                    awaitChange();
                }
            }
        } finally {
            if (pidFiles != null) {
                pidFiles.interrupt();
            }
        }
    }

    /**
     * Waits, once no node is starting, until something may have changed: a node's process ended, or a pid file was
     * written or removed ({@code ./dtx start}, {@code stop}, {@code kill}). {@link #SETTLED_TICK} is only the fallback
     * for what neither tells (a process that is not our child and stays a zombie).
     */
    private void awaitChange() {
        try {
            if (changed.tryAcquire(SETTLED_TICK.toMillis(), TimeUnit.MILLISECONDS)) {
                changed.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A daemon thread that wakes the watch whenever the run directory (the pid files) changes; null if it cannot. */
    private Thread watchPidFiles() {
        WatchService service;
        try {
            service = FileSystems.getDefault().newWatchService();
            workspace.runDir().register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException | UnsupportedOperationException e) {
            return null; // the settled tick still sees every change, a few seconds later
        }
        Thread thread = new Thread(() -> {
            try (service) {
                while (true) {
                    WatchKey key = service.take();
                    key.pollEvents();
                    key.reset();
                    changed.release();
                }
            } catch (InterruptedException | ClosedWatchServiceException | IOException e) {
                // the watch is over
            }
        }, "dtx-watch-pid-files");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void tick() {
        Map<String, CompletableFuture<Health>> probes = new LinkedHashMap<>();
        Map<String, Optional<ProcessHandle>> processes = new LinkedHashMap<>();
        for (ClusterNode node : topology.nodes()) {
            Optional<ProcessHandle> process = PidFile.read(workspace.pidFile(node.id())).flatMap(PidFile::liveProcess);
            processes.put(node.id(), process);
            boolean newProcess = process.isPresent() && !Long.valueOf(process.get().pid()).equals(pids.get(node.id()));
            if (process.isPresent() && (states.get(node.id()) != State.UP || newProcess)) {
                probes.put(node.id(), probe.health(node.port()));
            }
        }
        for (ClusterNode node : topology.nodes()) {
            if (stopping.getAsBoolean()) {
                return; // exits during shutdown are expected, not news
            }
            Optional<ProcessHandle> process = processes.get(node.id());
            CompletableFuture<Health> health = probes.get(node.id());
            update(node, process, health == null ? null : health.join());
        }
    }

    private void update(ClusterNode node, Optional<ProcessHandle> process, Health health) {
        String id = node.id();
        State previous = states.get(id);
        if (process.isEmpty()) {
            if (previous != State.EXITED) {
                change(id, State.EXITED, exitDetail(id));
            }
            return;
        }
        long pid = process.get().pid();
        Long knownPid = pids.put(id, pid);
        if (knownPid == null || knownPid != pid) {
            process.get().onExit().thenRun(changed::release);
        }
        if (knownPid != null && knownPid != pid && previous != State.EXITED) {
            change(id, State.EXITED, "replaced by pid " + pid); // restarted between two ticks
            previous = State.EXITED;
        }
        if (health == Health.UP) {
            if (previous != State.UP) {
                change(id, State.UP, node.url("localhost"));
            }
        } else if (previous == State.EXITED) {
            change(id, State.STARTING, "pid " + pid + " (started by ./dtx start)");
        }
    }

    private String exitDetail(String id) {
        Process child = children.apply(id);
        String code = child != null && !child.isAlive() ? "exit code " + child.exitValue() + "; " : "";
        return code + "see ./dtx logs " + id + workspace.dataDirArgument();
    }

    private void change(String id, State state, String detail) {
        states.put(id, state);
        log.state(id, state.name(), detail);
    }

    private String waitingSummary() {
        List<String> waiting = ids(State.STARTING);
        List<String> exited = ids(State.EXITED);
        return "waiting for: " + (waiting.isEmpty() ? "-" : String.join(", ", waiting))
                + (exited.isEmpty() ? "" : "; exited: " + String.join(", ", exited)
                + " (no auto-restart: ./dtx start NODE" + workspace.dataDirArgument() + ")");
    }

    private List<String> ids(State state) {
        return states.entrySet().stream().filter(e -> e.getValue() == state).map(Map.Entry::getKey).toList();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
