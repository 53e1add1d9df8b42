package io.dtxlab.launcher.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * A process we started: its pid and when it started. The start instant guards against pid reuse: after
 * a reboot or a long time, the same pid may belong to some unrelated process we must not signal.
 *
 * <p>File format, two lines: the pid, then the start instant (ISO-8601) or {@code -} if the OS did not
 * tell us.
 */
public record PidFile(long pid, Optional<Instant> startedAt) {

    /** Start instants come from /proc in clock ticks; two JVMs may round them a little differently. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    public static PidFile of(ProcessHandle handle) {
        return new PidFile(handle.pid(), handle.info().startInstant());
    }

    /** The pid file at {@code file}, or empty if there is none or it is unreadable (then it is stale anyway). */
    public static Optional<PidFile> read(Path file) {
        try {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            return parse(Files.readAllLines(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<PidFile> parse(List<String> lines) {
        try {
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            String started = lines.size() > 1 ? lines.get(1).trim() : "-";
            return Optional.of(new PidFile(pid, started.equals("-") || started.isEmpty()
                    ? Optional.empty() : Optional.of(Instant.parse(started))));
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    String format() {
        return pid + "\n" + startedAt.map(Instant::toString).orElse("-") + "\n";
    }

    /** Written to a temporary file and moved, so a reader never sees half a pid. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, format(), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The process this file names, if it is still running and is the same process (not a reused pid). */
    public Optional<ProcessHandle> liveProcess() {
        return ProcessHandle.of(pid).filter(this::isSameProcess).filter(Liveness::isAlive);
    }

    public boolean isAlive() {
        return liveProcess().isPresent();
    }

    boolean isSameProcess(ProcessHandle handle) {
        return sameStart(handle.info().startInstant());
    }

    boolean sameStart(Optional<Instant> actual) {
        if (startedAt.isEmpty() || actual.isEmpty()) {
            return true; // the OS gives no start times: pid alone is the best we have
        }
        return Duration.between(startedAt.get(), actual.get()).abs().compareTo(START_TOLERANCE) <= 0;
    }
}
