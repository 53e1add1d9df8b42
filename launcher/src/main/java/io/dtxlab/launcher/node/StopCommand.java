package io.dtxlab.launcher.node;

import io.dtxlab.launcher.process.ProcessStopper;
import io.dtxlab.launcher.workspace.DataDirOption;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stops one node gracefully (SIGTERM; SIGKILL after 20 s).")
public final class StopCommand implements Callable<Integer> {

    @Mixin
    private DataDirOption dataDir;

    @Parameters(paramLabel = "NODE", description = "Node id, e.g. inventory or coordinator-2.")
    private String nodeId;

    @Override
    public Integer call() throws IOException {
        Target target = Target.of(dataDir.workspace(), nodeId, "be stopped");
        Optional<ProcessHandle> process = target.process();
        if (process.isEmpty()) {
            System.out.println(target.id() + " is not running");
            return 0;
        }
        long pid = process.get().pid();
        System.out.println("stopping " + target.id() + " (pid " + pid + ") ...");
        List<ProcessHandle> forced = ProcessStopper.stop(List.of(process.get()), ProcessStopper.GRACE);
        Files.deleteIfExists(target.workspace().pidFile(target.id()));
        System.out.println(target.id() + " stopped" + (forced.isEmpty() ? "" : " (needed SIGKILL)"));
        return 0;
    }
}
