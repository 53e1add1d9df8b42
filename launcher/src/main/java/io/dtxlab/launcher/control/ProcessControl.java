package io.dtxlab.launcher.control;

import io.dtxlab.bench.Http;
import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.health.Health;
import io.dtxlab.launcher.health.HealthProbe;
import io.dtxlab.launcher.process.NodeSpawner;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.process.ProcessStopper;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Hands on the processes that {@code ./dtx up} started on this machine, for the chaos nemesis and the tour: signals
 * to the pids in the data directory's pid files, restarts with the same spawner {@code up} and {@code ./dtx start}
 * use, and the nodes' partition API ({@code PUT/DELETE /admin/partition}, admin token).
 */
public final class ProcessControl implements ClusterControl {

    /** How long a restarted node may take to become healthy; a cold start on a busy 2-core machine is slow. */
    public static final Duration RESTART_WITHIN = Duration.ofMinutes(3);

    private final Workspace workspace;
    private final Topology topology;
    private final NodeSpawner spawner;
    private final Http admin;
    private final HealthProbe probe = new HealthProbe();

    public ProcessControl(Workspace workspace, Topology topology, NodeSpawner spawner, Http admin) {
        this.workspace = workspace;
        this.topology = topology;
        this.spawner = spawner;
        this.admin = admin;
    }

    @Override
    public List<String> coordinators() {
        return ids(NodeRole.COORDINATOR);
    }

    @Override
    public List<String> participants() {
        return Stream.of(NodeRole.ORDER, NodeRole.INVENTORY, NodeRole.PAYMENT).flatMap(r -> ids(r).stream()).toList();
    }

    @Override
    public List<String> replicas() {
        return ids(NodeRole.REPLICA);
    }

    @Override
    public Optional<String> coordinatorLeader() {
        return firstAnswer(coordinators(), "/cluster", "leader");
    }

    @Override
    public Optional<String> replicaMaster() {
        return firstAnswer(replicas(), "/replication/status", "master");
    }

    @Override
    public boolean running(String node) {
        return PidFile.read(workspace.pidFile(node)).flatMap(PidFile::liveProcess).isPresent();
    }

    @Override
    public void crash(String node) {
        ProcessHandle process = process(node);
        if (!ProcessStopper.kill(process)) {
            throw new IllegalStateException(node + " (pid " + process.pid() + ") is still alive after SIGKILL");
        }
    }

    @Override
    public void restart(String node) {
        Process process;
        try {
            process = spawner.spawn(node(node));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + node, e);
        }
        long deadline = System.nanoTime() + RESTART_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(node + " exited with " + process.exitValue() + " as it restarted; see "
                        + workspace.logFile(node));
            }
            if (probe.health(node(node).port()).join() == Health.UP) {
                return;
            }
            pauseBriefly();
        }
        throw new IllegalStateException(node + " did not become healthy within " + RESTART_WITHIN.toSeconds() + " s");
    }

    @Override
    public void pause(String node) {
        signal(node, "STOP");
    }

    @Override
    public void resume(String node) {
        signal(node, "CONT");
    }

    @Override
    public void partition(Set<String> side, Set<String> otherSide) {
        side.forEach(n -> cut(n, otherSide));
        otherSide.forEach(n -> cut(n, side));
    }

    @Override
    public void heal() {
        for (ClusterNode node : topology.nodes()) {
            Http.Response response = admin.adminDelete(node.url("localhost") + "/admin/partition");
            if (!response.ok()) {
                throw new IllegalStateException("heal on " + node.id() + ": " + response.describe());
            }
        }
    }

    private void cut(String node, Set<String> from) {
        Http.Response response = admin.adminPut(node(node).url("localhost") + "/admin/partition", Map.of("nodes", from));
        if (!response.ok()) {
            throw new IllegalStateException("partition on " + node + ": " + response.describe());
        }
    }

    private void signal(String node, String signal) {
        ProcessHandle process = process(node);
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " (" + node + ") failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + node, e);
        }
    }

    private Optional<String> firstAnswer(List<String> nodes, String path, String field) {
        for (String id : nodes) {
            Http.Response response = admin.get(node(id).url("localhost") + path);
            if (response.ok()) {
                String value = response.json().path(field).asText(null);
                if (value != null && !value.isBlank()) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    private ProcessHandle process(String node) {
        return PidFile.read(workspace.pidFile(node)).flatMap(PidFile::liveProcess)
                .orElseThrow(() -> new IllegalStateException(node + " is not running"));
    }

    private ClusterNode node(String id) {
        return topology.node(id).orElseThrow(() -> new IllegalArgumentException("no node " + id));
    }

    private List<String> ids(NodeRole role) {
        return topology.withRole(role).stream().map(ClusterNode::id).toList();
    }

    private static void pauseBriefly() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
