package io.dtxlab.launcher.workspace;

import java.nio.file.Path;

/**
 * The layout of one data directory. Node data sits in {@code <data>/<node id>} (given to the node as
 * {@code DTX_DATA_DIR}), so a restarted node finds its own state again.
 */
public final class Workspace {

    private static final Path DEFAULT = Path.of("data");

    private final Path root;

    private Workspace(Path root) {
        this.root = root;
    }

    /** Absolute, so that node processes with another working directory get the same paths. */
    public static Workspace at(Path dir) {
        return new Workspace(dir.toAbsolutePath().normalize());
    }

    public Path root() {
        return root;
    }

    public Path runDir() {
        return root.resolve("run");
    }

    public Path logsDir() {
        return root.resolve("logs");
    }

    public Path secretsDir() {
        return root.resolve("secrets");
    }

    public Path kafkaLogDir() {
        return root.resolve("kafka");
    }

    /** Class-data archives of the node jars, one directory per module (see {@code process.FastStart}). */
    public Path cdsDir() {
        return root.resolve("cds");
    }

    public Path nodeDataDir(String nodeId) {
        return root.resolve(nodeId);
    }

    public Path logFile(String nodeId) {
        return logsDir().resolve(nodeId + ".log");
    }

    public Path pidFile(String nodeId) {
        return runDir().resolve(nodeId + ".pid");
    }

    public Path launcherPidFile() {
        return runDir().resolve("launcher.pid");
    }

    public Path settingsFile() {
        return runDir().resolve("cluster.properties");
    }

    public Path kafkaConfigFile() {
        return runDir().resolve("kafka.properties");
    }

    /**
     * How to repeat {@code --data-dir} in hints we print: nothing for the default, so the common case
     * reads like the README.
     */
    public String dataDirArgument() {
        return root.equals(DEFAULT.toAbsolutePath().normalize()) ? "" : " --data-dir " + root;
    }
}
