package io.dtxlab.launcher.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The two shared secrets of a cluster: the cluster token (node to node) and the admin token (fault
 * injection, admin endpoints). Created once per data dir and reused, so a restarted node still matches
 * the running ones. Files are readable by their owner only; we never print them unasked.
 */
public record Tokens(String cluster, String admin) {

    /** Which token, and the file it lives in under {@code <data>/secrets}. */
    public enum Kind {
        CLUSTER("cluster.token"), ADMIN("admin.token");

        private final String fileName;

        Kind(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    @Override
    public String toString() {
        return "Tokens[****]"; // never leak them into a log line by accident
    }

    public String get(Kind kind) {
        return kind == Kind.CLUSTER ? cluster : admin;
    }

    /** Reads the tokens, creating whichever is missing. */
    public static Tokens ensure(Path secretsDir) throws IOException {
        createPrivateDirectory(secretsDir);
        return new Tokens(ensure(secretsDir, Kind.CLUSTER), ensure(secretsDir, Kind.ADMIN));
    }

    /** Reads both tokens if {@code up} created them already. */
    public static Optional<Tokens> read(Path secretsDir) throws IOException {
        Optional<String> cluster = read(secretsDir, Kind.CLUSTER);
        Optional<String> admin = read(secretsDir, Kind.ADMIN);
        if (cluster.isEmpty() || admin.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Tokens(cluster.get(), admin.get()));
    }

    public static Optional<String> read(Path secretsDir, Kind kind) throws IOException {
        Path file = secretsDir.resolve(kind.fileName());
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    /** 32 random bytes, URL-safe Base64 without padding: safe in headers, env vars and shell quoting. */
    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String ensure(Path secretsDir, Kind kind) throws IOException {
        Optional<String> existing = read(secretsDir, kind);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path file = secretsDir.resolve(kind.fileName());
        Files.deleteIfExists(file); // an empty file left by an interrupted run
        try {
            // Created with 600 from the start: no window in which another user could read it.
            Files.createFile(file, ownerOnly("rw-------"));
        } catch (FileAlreadyExistsException raced) {
            return read(secretsDir, kind).orElseThrow(() -> raced);
        }
        String token = newToken();
        Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
        return token;
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, ownerOnly("rwx------"));
        }
    }

    private static FileAttribute<?>[] ownerOnly(String permissions) {
        return POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))}
                : new FileAttribute<?>[0];
    }
}
