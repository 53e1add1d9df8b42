package io.dtxlab.launcher.control;

import io.dtxlab.bench.Http;
import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.health.Health;
import io.dtxlab.launcher.health.HealthProbe;
import io.dtxlab.launcher.process.FastStart;
import io.dtxlab.launcher.process.NodeSpawner;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.workspace.ClusterSettings;
import io.dtxlab.launcher.workspace.RepoRoot;
import io.dtxlab.launcher.workspace.Tokens;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster that {@code ./dtx up} runs for a data directory, as a command that acts on it finds it: its topology
 * (ports as {@code up} was started), its tokens, and hands on its processes.
 *
 * @param workspace the data directory
 * @param topology the nodes and their ports, from {@code <data>/run/cluster.properties}
 * @param tokens the cluster and admin tokens, from {@code <data>/secrets}
 */
public record RunningCluster(Workspace workspace, Topology topology, Tokens tokens) {

    /**
     * The cluster of {@code workspace}, or a {@link UserError} naming what is missing when {@code up} does not run there.
     *
     * @param command the command's name, for the message ("no cluster runs …, then run chaos against it")
     */
    public static RunningCluster of(Workspace workspace, String command) {
        if (ClusterSettings.load(workspace).isEmpty()
                || PidFile.read(workspace.launcherPidFile()).flatMap(PidFile::liveProcess).isEmpty()) {
            throw new UserError("no cluster runs for " + workspace.root() + ": start one with ./dtx up"
                    + workspace.dataDirArgument() + ", then run " + command + " against it");
        }
        Topology topology = ClusterSettings.topologyOf(workspace);
        try {
            Tokens tokens = Tokens.read(workspace.secretsDir()).orElseThrow(() -> new UserError(
                    "no tokens in " + workspace.secretsDir() + "; ./dtx up" + workspace.dataDirArgument() + " creates them"));
            return new RunningCluster(workspace, topology, tokens);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The nodes whose {@code /actuator/health} does not answer UP now, in topology order. */
    public List<String> unhealthy() {
        HealthProbe probe = new HealthProbe();
        List<String> down = new ArrayList<>();
        for (ClusterNode node : topology.nodes()) {
            if (probe.health(node.port()).join() != Health.UP) {
                down.add(node.id());
            }
        }
        return down;
    }

    /** Refuses to go on unless every node is healthy: {@code what} starts on a whole cluster. */
    public void requireAllHealthy(String what) {
        List<String> down = unhealthy();
        if (!down.isEmpty()) {
            throw new UserError("not every node is healthy (" + String.join(", ", down) + "): " + what
                    + " starts on a whole cluster; see ./dtx status" + workspace.dataDirArgument());
        }
    }

    /** Signals, restarts (with the spawner {@code up} and {@code ./dtx start} use) and partitions of its nodes. */
    public ProcessControl control(Http admin) {
        RepoRoot repo = RepoRoot.locate();
        NodeSpawner spawner = new NodeSpawner(repo, workspace, topology, tokens, FastStart.of(repo, workspace));
        return new ProcessControl(workspace, topology, spawner, admin);
    }
}
