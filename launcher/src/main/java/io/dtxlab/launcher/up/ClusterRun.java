package io.dtxlab.launcher.up;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.kafka.EmbeddedKafka;
import io.dtxlab.launcher.process.FastStart;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.process.ProcessStopper;
import io.dtxlab.launcher.process.NodeSpawner;
import io.dtxlab.launcher.workspace.ClusterSettings;
import io.dtxlab.launcher.workspace.NodeEnvironment;
import io.dtxlab.launcher.workspace.RepoRoot;
import io.dtxlab.launcher.workspace.Tokens;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One run of the cluster in this JVM. All cleanup happens in a shutdown hook, the one place that runs
 * on Ctrl-C, SIGTERM and on a failed start alike; a lock keeps it from racing a node being spawned.
 */
final class ClusterRun {

    private final RepoRoot repo;
    private final Workspace workspace;
    private final ClusterSettings settings;
    private final Topology topology;
    private final ProgressLog log;
    private final Map<String, Process> children = new LinkedHashMap<>();
    private final Object lock = new Object();
    private boolean stopping;
    private EmbeddedKafka kafka;
    private FastStart fastStart;

    ClusterRun(RepoRoot repo, Workspace workspace, ClusterSettings settings, ProgressLog log) {
        this.repo = repo;
        this.workspace = workspace;
        this.settings = settings;
        this.topology = settings.topology();
        this.log = log;
    }

    int run() throws IOException {
        Files.createDirectories(workspace.runDir());
        PidFile.of(ProcessHandle.current()).write(workspace.launcherPidFile());
        settings.save(workspace);
        NodeEnvironment.save(workspace, System.getenv());
        Tokens tokens = Tokens.ensure(workspace.secretsDir());
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "dtx-shutdown"));

        log.line("Starting the lab from " + workspace.root() + ": Kafka and " + topology.nodes().size() + " nodes"
                + (topology.portOffset() == 0 ? "" : ", ports offset by " + topology.portOffset()) + ".");
        NodeSpawner spawner = new NodeSpawner(repo, workspace, topology, tokens, fastStart());
        // Before Kafka and the nodes, which would compete for the cores. Preflight stopped any leftover
        // node, so archives of earlier builds can go.
        List<String> fast = spawner.prepareFastStart(topology.nodes(), log, true);
        if (!fast.isEmpty()) {
            log.line("Fast start: " + fast.size() + " module(s) start from class-data archives in " + workspace.cdsDir()
                    + " (" + FastStart.OPT_OUT_ENV + "=1 turns this off).");
        }
        if (isStopping() || !startKafka()) {
            return 0;
        }
        // All at once: on 2 cores they compete, but waiting for each in turn would take far longer.
        for (ClusterNode node : topology.nodes()) {
            synchronized (lock) {
                if (stopping) {
                    return 0;
                }
                Process process = spawner.spawn(node);
                children.put(node.id(), process);
                log.state(node.id(), "STARTING", "pid " + process.pid() + ", log " + workspace.logFile(node.id()));
            }
        }
        new Watch(workspace, topology, log, this::childOf, this::isStopping).run();
        return 0;
    }

    private FastStart fastStart() {
        synchronized (lock) {
            fastStart = FastStart.of(repo, workspace);
            return fastStart;
        }
    }

    private boolean startKafka() throws IOException {
        String address = "localhost:" + topology.kafkaPort();
        log.state(Topology.KAFKA, "STARTING", address);
        EmbeddedKafka started = EmbeddedKafka.start(workspace, topology);
        synchronized (lock) {
            if (stopping) {
                started.close(); // Ctrl-C came while the broker was starting; the hook could not see it
                return false;
            }
            kafka = started;
        }
        log.state(Topology.KAFKA, "UP", address + " (inside this launcher, pid " + ProcessHandle.current().pid() + ")");
        return true;
    }

    private Process childOf(String nodeId) {
        synchronized (lock) {
            return children.get(nodeId);
        }
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    /** Nodes first (they are Kafka's clients), then Kafka, then the pid files. */
    private void shutdown() {
        EmbeddedKafka broker;
        synchronized (lock) {
            stopping = true;
            broker = kafka;
            if (fastStart != null) {
                fastStart.abort(); // a training run in progress: it is only worth something finished
            }
        }
        Map<String, ProcessHandle> running = runningNodes();
        if (!running.isEmpty()) {
            log.line("Stopping " + running.size() + " node(s): " + String.join(", ", running.keySet()));
            List<ProcessHandle> forced = ProcessStopper.stop(running.values(), ProcessStopper.GRACE);
            if (!forced.isEmpty()) {
                log.line("SIGKILLed after " + ProcessStopper.GRACE.toSeconds() + "s: pids "
                        + forced.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", ")));
            }
        }
        if (broker != null) {
            log.line("Stopping Kafka");
            try {
                broker.close();
            } catch (RuntimeException e) {
                log.line("Kafka did not stop cleanly: " + e);
            }
        }
        removePidFiles();
        log.line("stopped");
    }

    /** Ours, and also any started later by {@code ./dtx start}: the pid files know them all. */
    private Map<String, ProcessHandle> runningNodes() {
        Map<String, ProcessHandle> running = new LinkedHashMap<>();
        for (ClusterNode node : topology.nodes()) {
            PidFile.read(workspace.pidFile(node.id())).flatMap(PidFile::liveProcess)
                    .ifPresent(p -> running.put(node.id(), p));
            Process child = childOf(node.id());
            if (child != null && child.isAlive() && !running.containsKey(node.id())) {
                running.put(node.id(), child.toHandle());
            }
        }
        return running;
    }

    private void removePidFiles() {
        try {
            for (ClusterNode node : topology.nodes()) {
                if (PidFile.read(workspace.pidFile(node.id())).filter(PidFile::isAlive).isEmpty()) {
                    Files.deleteIfExists(workspace.pidFile(node.id()));
                }
            }
            Files.deleteIfExists(workspace.launcherPidFile());
        } catch (IOException e) {
            log.line("could not remove pid files: " + e);
        }
    }
}
