package io.dtxlab.launcher.status;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.health.Health;
import io.dtxlab.launcher.health.HealthProbe;
import io.dtxlab.launcher.health.NodeInfo;
import io.dtxlab.launcher.net.PortCheck;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.workspace.ClusterSettings;
import io.dtxlab.launcher.workspace.DataDirOption;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Reads the pid files and asks every node over HTTP, all in parallel. It relies on nothing the launcher
 * holds in memory, so it also works (and shows the leftovers) after the launcher was killed.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows every node: pid, port, health, role and incarnation; and whether the launcher runs.")
public final class StatusCommand implements Callable<Integer> {

    static final String ROW = "%-15s %-8s %-6s %-12s %-12s %s";

    @Mixin
    private DataDirOption dataDir;

    @Override
    public Integer call() {
        Workspace workspace = dataDir.workspace();
        PrintStream out = System.out;
        Optional<ClusterSettings> settings = ClusterSettings.load(workspace);
        if (settings.isEmpty()) {
            out.println("No cluster was ever started in " + workspace.root() + " (there is no "
                    + workspace.root().relativize(workspace.settingsFile()) + "). Start one with: ./dtx up"
                    + workspace.dataDirArgument());
            return 1;
        }
        Topology topology = settings.get().topology();
        HealthProbe probe = new HealthProbe();
        Map<String, CompletableFuture<Health>> health = new LinkedHashMap<>();
        Map<String, CompletableFuture<Optional<NodeInfo>>> info = new LinkedHashMap<>();
        for (ClusterNode node : topology.nodes()) {
            health.put(node.id(), probe.health(node.port()));
            info.put(node.id(), probe.info(node.port()));
        }
        Optional<ProcessHandle> launcher = PidFile.read(workspace.launcherPidFile()).flatMap(PidFile::liveProcess);

        out.println("Cluster in " + workspace.root() + ": " + topology.nodes().size() + " nodes, port offset "
                + topology.portOffset());
        out.println(launcher.map(p -> "launcher: running, pid " + p.pid() + " (Kafka runs inside it)")
                .orElse("launcher: not running (so neither is Kafka)"));
        out.println();
        out.println(String.format(ROW, "NODE", "PID", "PORT", "HEALTH", "ROLE", "INCARNATION"));
        int leftovers = 0;
        for (ClusterNode node : topology.nodes()) {
            Optional<ProcessHandle> process = PidFile.read(workspace.pidFile(node.id())).flatMap(PidFile::liveProcess);
            leftovers += process.isPresent() ? 1 : 0;
            Optional<NodeInfo> nodeInfo = info.get(node.id()).join();
            out.println(String.format(ROW, node.id(), process.map(p -> Long.toString(p.pid())).orElse("-"),
                    node.port(), health.get(node.id()).join().label(),
                    nodeInfo.map(NodeInfo::role).filter(r -> r != null).orElse("-"),
                    nodeInfo.map(NodeInfo::incarnation).filter(i -> i >= 0).map(String::valueOf).orElse("-")));
        }
        boolean kafkaUp = PortCheck.acceptsConnections(topology.kafkaPort());
        out.println(String.format(ROW, Topology.KAFKA, launcher.map(p -> Long.toString(p.pid())).orElse("-"),
                topology.kafkaPort(), kafkaUp ? "UP" : "unreachable", "(launcher)", "-"));
        if (launcher.isEmpty() && leftovers > 0) {
            out.println();
            out.println(leftovers + " node process(es) are left over from a launcher that is gone (killed?). "
                    + "./dtx up stops them before starting afresh; or ./dtx stop NODE" + workspace.dataDirArgument() + ".");
        }
        return 0;
    }
}
