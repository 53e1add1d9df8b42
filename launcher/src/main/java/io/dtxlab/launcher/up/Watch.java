package io.dtxlab.launcher.up;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.health.Health;
import io.dtxlab.launcher.health.HealthProbe;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.workspace.Workspace;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Watches the nodes from the pid files (so it also sees nodes restarted by {@code ./dtx start}) and
 * prints each change of state. Health is only probed while a node is starting: once UP, only its process
 * is watched, so the launcher adds no HTTP load during a benchmark.
 */
final class Watch {

    enum State { STARTING, UP, EXITED }

    private static final Duration TICK = Duration.ofMillis(500);
    private static final Duration SUMMARY_EVERY = Duration.ofSeconds(10);

    private final Workspace workspace;
    private final Topology topology;
    private final ProgressLog log;
    private final Function<String, Process> children;
    private final BooleanSupplier stopping;
    private final HealthProbe probe = new HealthProbe();
    private final Map<String, State> states = new LinkedHashMap<>();
    private final Map<String, Long> pids = new HashMap<>();
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
        while (!stopping.getAsBoolean()) {
            tick();
            if (!announced && states.values().stream().allMatch(s -> s == State.UP)) {
                announced = true;
                SummaryTable.print(log, workspace, topology);
            } else if (!announced && log.elapsedSeconds() - lastSummary >= SUMMARY_EVERY.toSeconds()) {
                lastSummary = log.elapsedSeconds();
                log.line(waitingSummary());
            }
            sleep(TICK);
        }
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
