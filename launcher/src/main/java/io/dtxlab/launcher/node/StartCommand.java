package io.dtxlab.launcher.node;

import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.health.Health;
import io.dtxlab.launcher.health.HealthProbe;
import io.dtxlab.launcher.net.PortCheck;
import io.dtxlab.launcher.process.FastStart;
import io.dtxlab.launcher.process.NodeSpawner;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.workspace.ClusterSettings;
import io.dtxlab.launcher.workspace.DataDirOption;
import io.dtxlab.launcher.workspace.RepoRoot;
import io.dtxlab.launcher.workspace.Tokens;
import io.dtxlab.launcher.workspace.Workspace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Starts one node again with the same data dir, ports and tokens as {@code up} gave it. The node runs
 * detached and outlives this command; the running launcher notices it and stops it on Ctrl-C.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Starts one node (e.g. after stop or kill) and waits until it is healthy.")
public final class StartCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    @Mixin
    private DataDirOption dataDir;

    @Parameters(paramLabel = "NODE", description = "Node id, e.g. inventory or coordinator-2.")
    private String nodeId;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "How long to wait for the node to become healthy (default ${DEFAULT-VALUE}).")
    private int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Workspace workspace = dataDir.workspace();
        if (ClusterSettings.load(workspace).isEmpty()) {
            throw new UserError("no cluster was ever started in " + workspace.root() + "; run ./dtx up"
                    + workspace.dataDirArgument() + " first");
        }
        Target target = Target.of(workspace, nodeId, "be started");
        checkCanStart(target);
        Tokens tokens = Tokens.read(workspace.secretsDir()).orElseThrow(() -> new UserError(
                "no tokens in " + workspace.secretsDir() + "; ./dtx up" + workspace.dataDirArgument() + " creates them"));

        ProgressLog log = new ProgressLog(System.out);
        RepoRoot repo = RepoRoot.locate();
        NodeSpawner spawner = new NodeSpawner(repo, workspace, target.topology(), tokens, FastStart.of(repo, workspace));
        // Usually made by up already; after a rebuild of this module, made here. Other nodes still run,
        // so archives of older builds stay.
        spawner.prepareFastStart(List.of(target.node()), log, false);
        Process process = spawner.spawn(target.node());
        log.state(target.id(), "STARTING", "pid " + process.pid() + ", log " + workspace.logFile(target.id()));
        return awaitHealthy(target, process, log, log.elapsedSeconds());
    }

    private static void checkCanStart(Target target) {
        Workspace workspace = target.workspace();
        if (PidFile.read(workspace.launcherPidFile()).flatMap(PidFile::liveProcess).isEmpty()) {
            throw new UserError("the launcher is not running for " + workspace.root() + ", and Kafka runs inside it. "
                    + "Start the cluster with ./dtx up" + workspace.dataDirArgument());
        }
        target.process().ifPresent(p -> {
            throw new UserError(target.id() + " is already running (pid " + p.pid() + ")");
        });
        if (PortCheck.inUse(target.node().port())) {
            throw new UserError("port " + target.node().port() + " (" + target.id() + ") is already in use");
        }
    }

    /** The timeout counts from {@code spawnedAt}: making a class-data archive first is not the node's fault. */
    private int awaitHealthy(Target target, Process process, ProgressLog log, double spawnedAt) throws InterruptedException {
        HealthProbe probe = new HealthProbe();
        double lastProgress = spawnedAt;
        while (log.elapsedSeconds() - spawnedAt < timeoutSeconds) {
            if (!process.isAlive()) {
                log.state(target.id(), "EXITED", "exit code " + process.exitValue() + "; see ./dtx logs " + target.id()
                        + target.workspace().dataDirArgument());
                return 1;
            }
            if (probe.health(target.node().port()).join() == Health.UP) {
                log.state(target.id(), "UP", target.node().url("localhost"));
                return 0;
            }
            if (log.elapsedSeconds() - lastProgress >= PROGRESS_EVERY.toSeconds()) {
                lastProgress = log.elapsedSeconds();
                log.state(target.id(), "STARTING", "waiting for /actuator/health");
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new UserError(target.id() + " did not become healthy within " + timeoutSeconds + "s; it is still running "
                + "(pid " + process.pid() + "). See ./dtx logs " + target.id() + ", or ./dtx stop " + target.id());
    }
}
