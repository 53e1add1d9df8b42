package io.dtxlab.launcher.process;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What a node JVM runs: a jar, and the class-data archive made from it if there is one. Without an
 * archive the jar is the module's exec jar; with one, the jar extracted next to the archive (the archive
 * is only valid for the class path it was made with).
 */
public record NodeLaunch(Path jar, Optional<Path> classDataArchive) {

    public static NodeLaunch plain(Path jar) {
        return new NodeLaunch(jar, Optional.empty());
    }

    public static NodeLaunch withArchive(Path extractedJar, Path archive) {
        return new NodeLaunch(extractedJar, Optional.of(archive));
    }
}
