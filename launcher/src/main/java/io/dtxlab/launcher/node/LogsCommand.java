package io.dtxlab.launcher.node;

import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.workspace.DataDirOption;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Prints a node's log, or follows it like {@code tail -f} (also across a restart, which appends). */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Prints (or follows, -f) a node's log.")
public final class LogsCommand implements Callable<Integer> {

    private static final long FOLLOW_POLL_MS = 250;

    @Mixin
    private DataDirOption dataDir;

    @Parameters(paramLabel = "NODE", description = "Node id, e.g. inventory or coordinator-2.")
    private String nodeId;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended, until Ctrl-C.")
    private boolean follow;

    @Override
    public Integer call() throws Exception {
        Workspace workspace = dataDir.workspace();
        if (Topology.KAFKA.equals(nodeId)) {
            throw new UserError("kafka runs inside the launcher and logs only warnings, to the console of ./dtx up");
        }
        Target target = Target.of(workspace, nodeId, "show logs");
        Path log = workspace.logFile(target.id());
        if (!Files.exists(log) && !follow) {
            throw new UserError("no log for " + target.id() + " yet (" + log + ")");
        }
        long position = Files.exists(log) ? copy(log, 0, System.out) : 0;
        while (follow) {
            Thread.sleep(FOLLOW_POLL_MS);
            long size = Files.exists(log) ? Files.size(log) : 0;
            if (size < position) {
                position = 0; // truncated or replaced: start over
            }
            if (size > position) {
                position = copy(log, position, System.out);
            }
        }
        return 0;
    }

    /** Copies from {@code from} to the current end; returns the new position. */
    private static long copy(Path file, long from, OutputStream out) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(from);
            byte[] buffer = new byte[64 * 1024];
            long position = from;
            int read;
            while ((read = in.read(buffer)) > 0) {
                out.write(buffer, 0, read);
                position += read;
            }
            out.flush();
            return position;
        }
    }
}
