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
 * A process we started: its pid and when it started. The start guards against pid reuse: after a reboot or
 * a long time, the same pid may belong to some unrelated process we must not signal.
 * <p>
 * On Linux the kernel's own record of the start is kept too, and compared exactly: the boot's id and the clock
 * ticks from boot to the start ({@code /proc/<pid>/stat}, field 22). The JDK's start instant is that tick count
 * added to the boot time in wall-clock seconds, which each JVM reads once from {@code /proc/stat}; a step of the
 * wall clock (NTP stepping, a virtual machine resumed) moves the boot time, so two JVMs could see one process start
 * seconds apart and take a live node for gone. The instant remains for systems without {@code /proc}.
 *
 * <p>File format, two or three lines: the pid; the start instant (ISO-8601) or {@code -} if the OS did not tell
 * us; on Linux, the boot id and the start ticks separated by a space.
 *
 * @param kernelStart the boot and the start ticks, where {@code /proc} tells them
 */
public record PidFile(long pid, Optional<Instant> startedAt, Optional<KernelStart> kernelStart) {


    /**
     * When a process started, as the kernel counts it: immune to steps of the wall clock.
     *
     * @param bootId the boot's UUID
     * @param ticks clock ticks from boot to the process's start
     */
    public record KernelStart(String bootId, long ticks) {

        /** How the kernel tells this boot apart from others (a random UUID chosen at each boot); read once. */
        private static final Optional<String> BOOT_ID = readBootId();

        /** The start of process {@code pid}, or empty without {@code /proc} or once the process is gone. */
        static Optional<KernelStart> of(long pid) {
            return BOOT_ID.flatMap(bootId -> Liveness.statFields(pid)
                    .filter(fields -> fields.length > 19) // field 22, starttime
                    .map(fields -> new KernelStart(bootId, Long.parseLong(fields[19]))));
        }

        private static Optional<String> readBootId() {
            try {
                String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
                        .trim();
                return id.isEmpty() ? Optional.empty() : Optional.of(id);
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        static Optional<KernelStart> parse(String line) {
            String[] parts = line.trim().split(" ");
            if (parts.length != 2 || parts[0].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new KernelStart(parts[0], Long.parseLong(parts[1])));
        }

        String format() {
            return bootId + " " + ticks;
        }
    }

    /** A pid file without the kernel's start (as older launchers wrote them, or from systems without /proc). */
    public PidFile(long pid, Optional<Instant> startedAt) {
        this(pid, startedAt, Optional.empty());
    }

    /** Start instants come from /proc in clock ticks; two JVMs may round them a little differently. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(1);

    public static PidFile of(ProcessHandle handle) {
        return new PidFile(handle.pid(), handle.info().startInstant(), KernelStart.of(handle.pid()));
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
            Optional<KernelStart> kernelStart = lines.size() > 2 ? KernelStart.parse(lines.get(2)) : Optional.empty();
            return Optional.of(new PidFile(pid, started.equals("-") || started.isEmpty()
                    ? Optional.empty() : Optional.of(Instant.parse(started)), kernelStart));
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    String format() {
        return pid + "\n" + startedAt.map(Instant::toString).orElse("-") + "\n"
                + kernelStart.map(k -> k.format() + "\n").orElse("");
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
        Optional<KernelStart> actual = kernelStart.isPresent() ? KernelStart.of(handle.pid()) : Optional.empty();
        if (actual.isPresent()) {
            return kernelStart.get().equals(actual.get());
        }
        return sameStart(handle.info().startInstant());
    }

    boolean sameStart(Optional<Instant> actual) {
        if (startedAt.isEmpty() || actual.isEmpty()) {
            return true; // the OS gives no start times: pid alone is the best we have
        }
        return Duration.between(startedAt.get(), actual.get()).abs().compareTo(START_TOLERANCE) <= 0;
    }
}
