package io.dtxlab.launcher.up;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.net.PortCheck;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.process.ProcessStopper;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What must hold before {@code up} starts anything: no other launcher on this data dir, no leftovers of
 * a launcher that was SIGKILLed (stopped here, they would hold ports and data), and every port free.
 */
final class Preflight {

    private Preflight() {
    }

    static void check(Workspace workspace, Topology topology, ProgressLog log) throws IOException {
        PidFile.read(workspace.launcherPidFile()).flatMap(PidFile::liveProcess).ifPresent(launcher -> {
            throw new UserError("a launcher is already running for " + workspace.root() + " (pid " + launcher.pid()
                    + "). Stop it with Ctrl-C in its terminal (or: kill " + launcher.pid() + "), or use another --data-dir.");
        });
        stopLeftovers(workspace, log);
        List<String> taken = PortCheck.taken(ports(topology));
        if (!taken.isEmpty()) {
            throw new UserError(String.join("\n     ", taken)
                    + "\n     Stop what uses it, or run beside it with --port-offset (e.g. --port-offset 1000).");
        }
    }

    /** Every port the cluster will listen on, with who will listen there. */
    static Map<Integer, String> ports(Topology topology) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        for (ClusterNode node : topology.nodes()) {
            ports.put(node.port(), node.id());
        }
        ports.put(topology.kafkaPort(), Topology.KAFKA);
        ports.put(topology.kafkaControllerPort(), "kafka controller");
        return ports;
    }

    /** Node processes whose launcher died: say so, stop them, and clear all stale pid files. */
    static void stopLeftovers(Workspace workspace, ProgressLog log) throws IOException {
        List<Path> pidFiles = nodePidFiles(workspace);
        Map<String, ProcessHandle> alive = new LinkedHashMap<>();
        for (Path file : pidFiles) {
            PidFile.read(file).flatMap(PidFile::liveProcess).ifPresent(p -> alive.put(nodeId(file), p));
        }
        if (!alive.isEmpty()) {
            log.line("Found " + alive.size() + " node process(es) left over from a launcher that is no longer running: "
                    + alive.entrySet().stream().map(e -> e.getKey() + " (pid " + e.getValue().pid() + ")")
                    .collect(Collectors.joining(", ")) + ". Stopping them first.");
            List<ProcessHandle> forced = ProcessStopper.stop(alive.values(), ProcessStopper.GRACE);
            log.line(forced.isEmpty() ? "Leftovers stopped." : "Leftovers stopped (" + forced.size() + " needed SIGKILL).");
        }
        for (Path file : pidFiles) {
            Files.deleteIfExists(file);
        }
        Files.deleteIfExists(workspace.launcherPidFile());
    }

    private static List<Path> nodePidFiles(Workspace workspace) throws IOException {
        if (!Files.isDirectory(workspace.runDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(workspace.runDir())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pid"))
                    .filter(f -> !f.equals(workspace.launcherPidFile()))
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String nodeId(Path pidFile) {
        String name = pidFile.getFileName().toString();
        return name.substring(0, name.length() - ".pid".length());
    }
}
