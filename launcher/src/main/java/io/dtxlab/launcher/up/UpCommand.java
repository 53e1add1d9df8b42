package io.dtxlab.launcher.up;

import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.workspace.ClusterSettings;
import io.dtxlab.launcher.workspace.DataDirOption;
import io.dtxlab.launcher.workspace.RepoRoot;
import io.dtxlab.launcher.workspace.Workspace;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts Kafka and every node, waits until all are healthy, then stays in the foreground; "
                + "Ctrl-C stops the whole cluster.",
                "",
                "Nodes start from a class-data archive (AppCDS) of their module, made once per build under "
                + "<data-dir>/cds (the first up after a build spends ~10-20 s per module on it, two at a time; a "
                + "module whose archive cannot be made starts from its plain jar). Set DTX_NO_CDS=1 to start "
                + "every node from its plain jar."})
public final class UpCommand implements Callable<Integer> {

    @Mixin
    private DataDirOption dataDir;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "3",
            description = "Number of replica nodes, 1..9 (default ${DEFAULT-VALUE}).")
    private int replicas;

    @Option(names = "--port-offset", paramLabel = "K", defaultValue = "0",
            description = "Added to every port, to run a second cluster beside the first (default ${DEFAULT-VALUE}).")
    private int portOffset;

    @Override
    public Integer call() throws Exception {
        ClusterSettings settings = settings();
        Workspace workspace = dataDir.workspace();
        ProgressLog log = new ProgressLog(System.out);
        Preflight.check(workspace, settings.topology(), log);
        return new ClusterRun(RepoRoot.locate(), workspace, settings, log).run();
    }

    private ClusterSettings settings() {
        try {
            return new ClusterSettings(replicas, portOffset);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), UserError.USAGE);
        }
    }
}
