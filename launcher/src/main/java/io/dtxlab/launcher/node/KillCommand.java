package io.dtxlab.launcher.node;

import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.process.ProcessStopper;
import io.dtxlab.launcher.workspace.DataDirOption;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A crash, for demos: SIGKILL, no shutdown hook runs. The pid file stays, as it would after a real
 * crash; {@code status} sees the process is gone and {@code start} replaces it.
 */
@Command(name = "kill", mixinStandardHelpOptions = true,
        description = "Kills one node with SIGKILL, like a crash (no graceful shutdown).")
public final class KillCommand implements Callable<Integer> {

    @Mixin
    private DataDirOption dataDir;

    @Parameters(paramLabel = "NODE", description = "Node id, e.g. inventory or coordinator-2.")
    private String nodeId;

    @Override
    public Integer call() {
        Target target = Target.of(dataDir.workspace(), nodeId, "be killed");
        Optional<ProcessHandle> process = target.process();
        if (process.isEmpty()) {
            System.out.println(target.id() + " is not running");
            return 0;
        }
        if (!ProcessStopper.kill(process.get())) {
            throw new UserError(target.id() + " (pid " + process.get().pid() + ") is still alive after SIGKILL");
        }
        System.out.println(target.id() + " killed (SIGKILL, pid " + process.get().pid() + ")");
        return 0;
    }
}
