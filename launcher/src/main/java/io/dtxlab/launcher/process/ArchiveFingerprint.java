package io.dtxlab.launcher.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a class-data archive was made from: the exec jar (path, size, mtime), the JVM that runs the
 * nodes (its home, version, and the size and mtime of its binaries) and the node flags (the archive is
 * only usable with the same GC and class path). Any change gives another {@link #key()}, so a rebuilt
 * jar or another JDK gets an archive of its own instead of a stale one.
 *
 * <p>Size and mtime rather than a hash: Maven rewrites the jar on every package, and hashing ~100 MB
 * five times would cost each {@code ./dtx up} a second for nothing.
 */
public record ArchiveFingerprint(Map<String, String> entries) {

    public ArchiveFingerprint {
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /** The fingerprint for nodes started from {@code execJar} by this JVM's {@code java} with {@code flags}. */
    public static ArchiveFingerprint of(Path execJar, Path javaHome, String javaVersion, List<String> flags)
            throws IOException {
        Map<String, String> entries = new TreeMap<>();
        entries.put("jar.path", execJar.toAbsolutePath().normalize().toString());
        putFile(entries, "jar", execJar);
        entries.put("java.home", javaHome.toAbsolutePath().normalize().toString());
        entries.put("java.version", javaVersion);
        // A JDK updated in place keeps its home and maybe its version string, but not its binaries.
        putFile(entries, "java.binary", javaHome.resolve("bin").resolve("java"));
        putFile(entries, "java.libjvm", javaHome.resolve("lib").resolve("server").resolve("libjvm.so"));
        entries.put("jvm.flags", String.join(" ", flags));
        return new ArchiveFingerprint(entries);
    }

    /** The fingerprint for a node of this exec jar as {@link NodeSpawner} would start it now. */
    public static ArchiveFingerprint current(Path execJar) throws IOException {
        return of(execJar, Path.of(System.getProperty("java.home")),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.version"), NodeJvm.flags());
    }

    private static void putFile(Map<String, String> entries, String name, Path file) throws IOException {
        if (Files.exists(file)) {
            entries.put(name + ".size", Long.toString(Files.size(file)));
            entries.put(name + ".modified", Long.toString(Files.getLastModifiedTime(file).toMillis()));
        } else {
            entries.put(name + ".size", "-");
        }
    }

    /** Short, file-name safe and stable: the name of the directory that holds this archive. */
    public String key() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** One {@code name=value} line per entry, sorted: what is written next to the archive. */
    public String text() {
        StringBuilder text = new StringBuilder();
        entries.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        return text.toString();
    }

    /** Whether {@code file} holds exactly this fingerprint (a missing or unreadable file does not). */
    public boolean matches(Path file) {
        try {
            return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text());
        } catch (IOException e) {
            return false;
        }
    }
}
