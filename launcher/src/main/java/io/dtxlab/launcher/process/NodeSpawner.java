package io.dtxlab.launcher.process;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.workspace.NodeEnvironment;
import io.dtxlab.launcher.workspace.RepoRoot;
import io.dtxlab.launcher.workspace.Tokens;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts one node as its own OS process: {@code java <flags> -jar <module>-exec.jar} in the repository
 * root, configured only through environment variables (tokens on a command line would show in
 * {@code ps}). Output goes to {@code <data>/logs/<node>.log}, and a pid file records who it is. With a
 * class-data archive of the module ({@link FastStart}), the node runs the jar extracted next to it:
 * {@code java -XX:SharedArchiveFile=<data>/cds/<module>/<key>/app.jsa <flags> -jar <that dir>/<module>-exec.jar}.
 */
public final class NodeSpawner {

    /** Puts the node in a session of its own: Ctrl-C in our terminal, or closing it, does not reach it. */
    private static final List<Path> SETSID = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static final File DEV_NULL = new File("/dev/null");

    private final RepoRoot repo;
    private final Workspace workspace;
    private final Topology topology;
    private final Tokens tokens;
    private final FastStart fastStart;

    /** Every node from its exec jar. */
    public NodeSpawner(RepoRoot repo, Workspace workspace, Topology topology, Tokens tokens) {
        this(repo, workspace, topology, tokens, FastStart.off(repo, workspace));
    }

    public NodeSpawner(RepoRoot repo, Workspace workspace, Topology topology, Tokens tokens, FastStart fastStart) {
        this.repo = repo;
        this.workspace = workspace;
        this.topology = topology;
        this.tokens = tokens;
        this.fastStart = fastStart;
    }

    /**
     * Makes the class-data archives these nodes will start from (see {@link FastStart#prepare}); returns
     * the modules that have one.
     */
    public List<String> prepareFastStart(Collection<ClusterNode> nodes, ProgressLog log, boolean exclusive) {
        return fastStart.prepare(nodes, this::trainingEnvironment, log, exclusive);
    }

    public Process spawn(ClusterNode node) throws IOException {
        Path jar = repo.jarOf(node.role());
        if (!Files.isRegularFile(jar)) {
            throw new UserError("no jar for " + node.id() + " at " + jar
                    + ". Build the lab first: ./mvnw -q -B -DskipTests package");
        }
        Files.createDirectories(workspace.nodeDataDir(node.id()));
        Path log = workspace.logFile(node.id());
        Files.createDirectories(log.getParent());
        NodeLaunch launch = fastStart.launchOf(node.role());
        // Appended, not truncated: the log of the run that crashed is what one wants to read afterwards.
        Files.writeString(log, "==== dtx: starting " + node.id() + " at " + Instant.now()
                + launch.classDataArchive().map(a -> " with class-data archive " + a).orElse("") + " ====\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);

        ProcessBuilder builder = new ProcessBuilder(command(launch))
                .directory(repo.dir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (DEV_NULL.exists()) {
            // No pipe to us: the node must not notice when a short-lived ./dtx start exits.
            builder.redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        }
        // what ./dtx up passed on (e.g. DTX_REPLICATION_FAILOVER), unless this command's environment says otherwise
        NodeEnvironment.load(workspace).forEach(builder.environment()::putIfAbsent);
        builder.environment().putAll(environment(node));
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", NodeJvm.MALLOC_ARENA_MAX);
        Process process = builder.start();
        PidFile.of(process.toHandle()).write(workspace.pidFile(node.id()));
        return process;
    }

    /** The services' contract: who they are, where their peers and Kafka are, and the shared secrets. */
    Map<String, String> environment(ClusterNode node) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DTX_NODE_ID", node.id());
        env.put("SERVER_PORT", Integer.toString(node.port()));
        env.put("DTX_DATA_DIR", workspace.nodeDataDir(node.id()).toString());
        env.put("DTX_CLUSTER_MEMBERS", topology.members("localhost"));
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", "localhost:" + topology.kafkaPort());
        env.put("DTX_SECURITY_CLUSTER_TOKEN", tokens.cluster());
        env.put("DTX_SECURITY_ADMIN_TOKEN", tokens.admin());
        return env;
    }

    /**
     * A training run of {@link FastStart} is this node up to a refreshed context, which opens no port
     * (0, should one be opened: any free one) and does not contact Kafka yet; its data dir is scratch.
     */
    Map<String, String> trainingEnvironment(ClusterNode node, Path dataDir) {
        Map<String, String> env = environment(node);
        env.put("SERVER_PORT", "0");
        env.put("DTX_DATA_DIR", dataDir.toString());
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", "localhost:1");
        return env;
    }

    List<String> command(Path jar) {
        return command(NodeLaunch.plain(jar));
    }

    List<String> command(NodeLaunch launch) {
        List<String> command = new ArrayList<>();
        // setsid execs in place (we are not a process group leader), so the pid stays the JVM's pid.
        SETSID.stream().filter(Files::isExecutable).findFirst().ifPresent(setsid -> command.add(setsid.toString()));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // First, so DTX_NODE_JAVA_OPTS (e.g. -Xshare:off) can override. -Xshare:auto, the default, said
        // aloud: an archive that does not fit this JVM is ignored with a warning, never fatal.
        launch.classDataArchive().ifPresent(archive -> {
            command.add("-XX:SharedArchiveFile=" + archive);
            command.add("-Xshare:auto");
        });
        command.addAll(NodeJvm.flags());
        command.add("-jar");
        command.add(launch.jar().toString());
        return command;
    }
}
