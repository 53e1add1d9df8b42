package io.dtxlab.launcher.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class-data archive of one module, on disk: {@code <data>/cds/<module>/<key>/} holds the exec jar
 * extracted by Spring Boot's jar tools ({@code <module>-exec.jar} plus {@code lib/}), {@code app.jsa}
 * (a dynamic AppCDS archive) and {@code fingerprint.properties}, written last, so a directory without it
 * is an interrupted attempt. The {@code key} is that of the {@link ArchiveFingerprint}: a rebuilt jar
 * or another JVM gets a new directory, and nodes still running from the old one are not pulled from
 * under their feet (a JVM opens its class path jars lazily).
 *
 * <p>A training that failed leaves {@code training-failed.txt} instead, so that later starts of the
 * same build do not pay for it again: they start the plain jar. Deleting the directory retries.
 */
final class ClassDataArchive {

    static final String ARCHIVE = "app.jsa";
    static final String FINGERPRINT = "fingerprint.properties";
    static final String FAILED = "training-failed.txt";
    static final String LOCK = ".lock";

    enum Status { READY, MISSING, FAILED }

    private final Path execJar;
    private final Path moduleDir;
    private final ArchiveFingerprint fingerprint;

    ClassDataArchive(Path execJar, Path moduleDir, ArchiveFingerprint fingerprint) {
        this.execJar = execJar;
        this.moduleDir = moduleDir;
        this.fingerprint = fingerprint;
    }

    Path moduleDir() {
        return moduleDir;
    }

    Path dir() {
        return moduleDir.resolve(fingerprint.key());
    }

    /** The extract tool keeps the jar's name. */
    Path extractedJar() {
        return dir().resolve(execJar.getFileName());
    }

    Path archive() {
        return dir().resolve(ARCHIVE);
    }

    /** A scratch {@code DTX_DATA_DIR} for the training run: it opens the node's H2 database. */
    Path trainingDataDir() {
        return moduleDir.resolve(fingerprint.key() + ".training-data");
    }

    Status status() {
        if (fingerprint.matches(dir().resolve(FINGERPRINT)) && Files.isRegularFile(extractedJar()) && nonEmpty(archive())) {
            return Status.READY;
        }
        return Files.isRegularFile(dir().resolve(FAILED)) ? Status.FAILED : Status.MISSING;
    }

    NodeLaunch launch() {
        return NodeLaunch.withArchive(extractedJar(), archive());
    }

    /** Why the training failed, as recorded by {@link #markFailed}. */
    String failure() {
        try {
            return Files.readString(dir().resolve(FAILED), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "training failed";
        }
    }

    /** Spring Boot's documented recipe, step one: the exec jar as a plain jar plus {@code lib/}. */
    List<String> extractCommand(Path java) {
        return List.of(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-Djarmode=tools", "-jar", execJar.toString(), "extract", "--destination", dir().toString());
    }

    /**
     * Step two: start the app until its context is refreshed (no web server, no Kafka consumers yet) and
     * dump every class it loaded. With the node's own flags: an archive only maps into a JVM whose GC,
     * class path and the like match.
     */
    List<String> trainingCommand(Path java, List<String> nodeFlags) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-XX:ArchiveClassesAtExit=" + archive());
        command.addAll(nodeFlags);
        command.add("-Dspring.context.exit=onRefresh");
        command.add("-jar");
        command.add(extractedJar().toString());
        return command;
    }

    /** Starts afresh: whatever an interrupted or failed attempt left in our directory goes. */
    void reset() throws IOException {
        deleteTree(dir());
        deleteTree(trainingDataDir());
        Files.createDirectories(moduleDir);
    }

    void markReady() throws IOException {
        deleteTree(trainingDataDir());
        write(dir().resolve(FINGERPRINT), fingerprint.text());
    }

    /** Keeps only the reason: the extracted jars and a partial archive are ~200 MB of nothing. */
    void markFailed(String reason) throws IOException {
        deleteTree(dir());
        deleteTree(trainingDataDir());
        Files.createDirectories(dir());
        write(dir().resolve(FAILED), reason + "\n");
    }

    /**
     * Deletes the archives of other builds. Only when no node of this data dir runs: one might still be
     * loading classes from them.
     */
    void removeOthers() throws IOException {
        if (!Files.isDirectory(moduleDir)) {
            return;
        }
        String key = fingerprint.key();
        try (Stream<Path> entries = Files.list(moduleDir)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(key) && !name.equals(LOCK)) { // ours: the key, and its training data
                    deleteTree(entry);
                }
            }
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean nonEmpty(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
