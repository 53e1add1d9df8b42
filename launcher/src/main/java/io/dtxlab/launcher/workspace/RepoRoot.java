package io.dtxlab.launcher.workspace;

import io.dtxlab.core.cluster.NodeRole;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository checkout: the nodes' working directory and where their jars are built. The {@code dtx}
 * script passes it as {@code -Ddtx.root}; without it we look upwards from the current directory.
 */
public final class RepoRoot {

    private final Path dir;

    private RepoRoot(Path dir) {
        this.dir = dir;
    }

    public static RepoRoot at(Path dir) {
        return new RepoRoot(dir.toAbsolutePath().normalize());
    }

    public static RepoRoot locate() {
        String configured = System.getProperty("dtx.root", System.getenv("DTX_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return at(Path.of(configured));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("launcher").resolve("pom.xml")) && Files.exists(dir.resolve("mvnw"))) {
                return at(dir);
            }
        }
        return at(Path.of(""));
    }

    public Path dir() {
        return dir;
    }

    /** The runnable jar of a role: {@code <module>/target/<module>-exec.jar}. */
    public Path jarOf(NodeRole role) {
        return dir.resolve(role.module()).resolve("target").resolve(role.module() + "-exec.jar");
    }
}
