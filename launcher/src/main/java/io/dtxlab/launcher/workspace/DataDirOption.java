package io.dtxlab.launcher.workspace;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}, mixed into every command so it can be given after the command name. */
public final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:DTX_DATA_DIR:-./data}",
            description = "Where the cluster keeps its state, logs and tokens (env DTX_DATA_DIR, default ./data).")
    private Path dataDir;

    public Workspace workspace() {
        return Workspace.at(dataDir);
    }
}
