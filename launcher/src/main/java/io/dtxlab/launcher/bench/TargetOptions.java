package io.dtxlab.launcher.bench;

import io.dtxlab.bench.Targets;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.workspace.ClusterSettings;
import io.dtxlab.launcher.workspace.DataDirOption;
import io.dtxlab.launcher.workspace.Tokens;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which cluster to measure: the one of the data directory on this machine, or one on another host. */
public final class TargetOptions {

    /** docker compose's default admin token (README, docker compose). */
    static final String COMPOSE_ADMIN_TOKEN = "dev-admin-token";

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--url", paramLabel = "http://HOST",
            description = "Measure the cluster on HOST at the default ports (plus --port-offset), e.g. docker compose "
                    + "elsewhere; default: the cluster of --data-dir on localhost.")
    String url;

    @Option(names = "--port-offset", paramLabel = "K",
            description = "Ports moved by K (default: as ./dtx up was started, or 0 with --url).")
    Integer portOffset;

    @Option(names = "--replicas", paramLabel = "N",
            description = "Replica nodes (default: as ./dtx up was started, or 3 with --url).")
    Integer replicas;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:DTX_ADMIN_TOKEN}",
            description = "The admin token (env DTX_ADMIN_TOKEN; default: the data dir's, or dev-admin-token with --url).")
    String adminToken;

    Workspace workspace() {
        return dataDir.workspace();
    }

    /** Local means the data directory's cluster: its pid files and token are ours to read. */
    boolean local() {
        return url == null;
    }

    Targets targets() {
        Workspace workspace = workspace();
        Topology base = local() ? ClusterSettings.topologyOf(workspace) : Topology.defaults();
        Topology topology;
        try {
            topology = Topology.of(replicas != null ? replicas : base.withRole(io.dtxlab.core.cluster.NodeRole.REPLICA).size(),
                    portOffset != null ? portOffset : base.portOffset());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), UserError.USAGE);
        }
        try {
            return Targets.of(topology, local() ? "http://localhost" : url, token(workspace));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), UserError.USAGE);
        }
    }

    private String token(Workspace workspace) {
        if (adminToken != null && !adminToken.isBlank()) {
            return adminToken.trim();
        }
        if (!local()) {
            return COMPOSE_ADMIN_TOKEN;
        }
        try {
            return Tokens.read(workspace.secretsDir(), Tokens.Kind.ADMIN).orElseThrow(() -> new UserError(
                    "no admin token in " + workspace.secretsDir() + ": start the cluster with ./dtx up"
                            + workspace.dataDirArgument() + ", or give --admin-token (or DTX_ADMIN_TOKEN)"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The launcher's own process (it hosts Kafka), measured from the OS, when it runs here. */
    Map<String, Long> localProcesses() {
        if (!local()) {
            return Map.of();
        }
        Optional<ProcessHandle> launcher = PidFile.read(workspace().launcherPidFile()).flatMap(PidFile::liveProcess);
        return launcher.map(p -> Map.of("launcher+kafka", p.pid())).orElse(Map.of());
    }
}
