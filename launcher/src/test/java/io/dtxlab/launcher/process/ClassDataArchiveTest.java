package io.dtxlab.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.launcher.workspace.RepoRoot;
import io.dtxlab.launcher.workspace.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When an archive is stale, and what a node is started from; no JVM is trained here. */
class ClassDataArchiveTest {

    private static final List<String> FLAGS = List.of("-Xmx192m", "-XX:+UseSerialGC");

    @TempDir
    Path dir;

    private Path jar;
    private Path javaHome;

    @BeforeEach
    void aJarAndAJdk() throws Exception {
        jar = dir.resolve("repo/inventory-service/target/inventory-service-exec.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar v1");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2025-01-01T10:00:00Z")));
        javaHome = dir.resolve("jdk");
        Files.createDirectories(javaHome.resolve("bin"));
        Files.writeString(javaHome.resolve("bin/java"), "java");
    }

    private ArchiveFingerprint fingerprint() throws Exception {
        return ArchiveFingerprint.of(jar, javaHome, "17.0.15+6", FLAGS);
    }

    @Test
    void theSameJarJvmAndFlagsGiveTheSameKey() throws Exception {
        assertThat(fingerprint().key()).isEqualTo(fingerprint().key()).hasSize(16).matches("[0-9a-f]+");
        assertThat(fingerprint().text()).contains("jar.size=6", "java.version=17.0.15+6",
                "jvm.flags=-Xmx192m -XX:+UseSerialGC");
    }

    @Test
    void aRebuiltJarIsANewBuildEvenWithTheSameSize() throws Exception {
        String before = fingerprint().key();
        // when: package again, same content
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2025-01-01T10:05:00Z")));
        // then
        assertThat(fingerprint().key()).isNotEqualTo(before);
    }

    @Test
    void aJarOfAnotherSizeIsANewBuild() throws Exception {
        FileTime modified = Files.getLastModifiedTime(jar);
        String before = fingerprint().key();
        Files.writeString(jar, "jar v2 is longer");
        Files.setLastModifiedTime(jar, modified);
        assertThat(fingerprint().key()).isNotEqualTo(before);
    }

    @Test
    void anotherJvmOrOtherFlagsNeedAnotherArchive() throws Exception {
        String before = fingerprint().key();
        assertThat(ArchiveFingerprint.of(jar, javaHome, "17.0.16+8", FLAGS).key()).isNotEqualTo(before);
        assertThat(ArchiveFingerprint.of(jar, javaHome, "17.0.15+6", List.of("-Xmx192m", "-XX:+UseG1GC")).key())
                .isNotEqualTo(before);
        Path otherHome = dir.resolve("jdk-other");
        Files.createDirectories(otherHome.resolve("bin"));
        Files.copy(javaHome.resolve("bin/java"), otherHome.resolve("bin/java"));
        assertThat(ArchiveFingerprint.of(jar, otherHome, "17.0.15+6", FLAGS).key()).isNotEqualTo(before);
        // a JDK updated in place: same home and version string, new binary
        Files.writeString(javaHome.resolve("bin/java"), "java, patched");
        assertThat(fingerprint().key()).isNotEqualTo(before);
    }

    @Test
    void anArchiveIsReadyOnlyWithItsFingerprintJarAndArchive() throws Exception {
        ClassDataArchive archive = new ClassDataArchive(jar, dir.resolve("data/cds/inventory-service"), fingerprint());
        assertThat(archive.status()).isEqualTo(ClassDataArchive.Status.MISSING);

        // an interrupted attempt: extracted and trained, fingerprint not yet written
        Files.createDirectories(archive.dir());
        Files.writeString(archive.extractedJar(), "extracted");
        Files.writeString(archive.archive(), "classes");
        assertThat(archive.status()).isEqualTo(ClassDataArchive.Status.MISSING);

        archive.markReady();
        assertThat(archive.status()).isEqualTo(ClassDataArchive.Status.READY);
        assertThat(archive.launch()).isEqualTo(NodeLaunch.withArchive(archive.extractedJar(), archive.archive()));
        assertThat(archive.extractedJar()).isEqualTo(archive.dir().resolve("inventory-service-exec.jar"));

        // an empty archive (the disk filled up) is no archive
        Files.writeString(archive.archive(), "");
        assertThat(archive.status()).isEqualTo(ClassDataArchive.Status.MISSING);
    }

    @Test
    void aFingerprintFileOfAnotherBuildDoesNotCount() throws Exception {
        ClassDataArchive archive = new ClassDataArchive(jar, dir.resolve("cds/inventory-service"), fingerprint());
        Files.createDirectories(archive.dir());
        Files.writeString(archive.extractedJar(), "extracted");
        Files.writeString(archive.archive(), "classes");
        Files.writeString(archive.dir().resolve(ClassDataArchive.FINGERPRINT), "jar.size=1\n");
        assertThat(archive.status()).isEqualTo(ClassDataArchive.Status.MISSING);
    }

    @Test
    void aFailedTrainingIsRememberedForItsBuildOnly() throws Exception {
        Path moduleDir = dir.resolve("cds/inventory-service");
        ClassDataArchive archive = new ClassDataArchive(jar, moduleDir, fingerprint());
        Files.createDirectories(archive.dir().resolve("lib"));
        Files.writeString(archive.dir().resolve("lib/big.jar"), "x");

        archive.markFailed("the training run exited with code 1");

        assertThat(archive.status()).isEqualTo(ClassDataArchive.Status.FAILED);
        assertThat(archive.failure()).isEqualTo("the training run exited with code 1");
        assertThat(archive.dir().resolve("lib")).doesNotExist();
        // when: the jar is rebuilt
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2025-02-01T10:00:00Z")));
        // then: it is tried again
        assertThat(new ClassDataArchive(jar, moduleDir, fingerprint()).status()).isEqualTo(ClassDataArchive.Status.MISSING);
    }

    @Test
    void onlyTheArchiveOfTheCurrentBuildIsKept() throws Exception {
        Path moduleDir = dir.resolve("cds/inventory-service");
        ClassDataArchive old = new ClassDataArchive(jar, moduleDir, fingerprint());
        Files.createDirectories(old.dir().resolve("lib"));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.parse("2025-02-01T10:00:00Z")));
        ClassDataArchive current = new ClassDataArchive(jar, moduleDir, fingerprint());
        Files.createDirectories(current.dir());
        Files.createDirectories(current.trainingDataDir()); // the current one's own scratch dir is not ours to take
        Files.writeString(moduleDir.resolve(ClassDataArchive.LOCK), "");

        current.removeOthers();

        assertThat(old.dir()).doesNotExist();
        assertThat(current.dir()).exists();
        assertThat(current.trainingDataDir()).exists();
        assertThat(moduleDir.resolve(ClassDataArchive.LOCK)).exists();
    }

    @Test
    void theTrainingRunUsesTheNodeFlagsAndTheExtractedJar() throws Exception {
        ClassDataArchive archive = new ClassDataArchive(jar, dir.resolve("cds/inventory-service"), fingerprint());
        List<String> command = archive.trainingCommand(Path.of("/jdk/bin/java"), FLAGS);
        assertThat(command).containsSubsequence("-XX:ArchiveClassesAtExit=" + archive.archive(), "-Xmx192m",
                "-XX:+UseSerialGC", "-Dspring.context.exit=onRefresh", "-jar", archive.extractedJar().toString());
        assertThat(archive.extractCommand(Path.of("/jdk/bin/java"))).containsSubsequence("-Djarmode=tools", "-jar",
                jar.toString(), "extract", "--destination", archive.dir().toString());
    }

    @Test
    void optingOutTakesAnyValueButZeroOrFalse() {
        assertThat(FastStart.optedOut("1")).isTrue();
        assertThat(FastStart.optedOut("yes")).isTrue();
        assertThat(FastStart.optedOut(null)).isFalse();
        assertThat(FastStart.optedOut(" ")).isFalse();
        assertThat(FastStart.optedOut("0")).isFalse();
        assertThat(FastStart.optedOut("false")).isFalse();
    }

    @Test
    void withoutAReadyArchiveANodeStartsFromItsExecJar() {
        RepoRoot repo = RepoRoot.at(dir.resolve("repo"));
        Workspace workspace = Workspace.at(dir.resolve("data"));
        assertThat(new FastStart(repo, workspace.cdsDir(), workspace.logsDir(), true).launchOf(NodeRole.INVENTORY))
                .isEqualTo(NodeLaunch.plain(jar));
        assertThat(FastStart.off(repo, workspace).launchOf(NodeRole.INVENTORY)).isEqualTo(NodeLaunch.plain(jar));
    }
}
