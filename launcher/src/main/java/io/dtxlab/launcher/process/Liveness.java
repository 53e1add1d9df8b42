package io.dtxlab.launcher.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Whether a process is really running. {@link ProcessHandle#isAlive()} counts zombies as alive, and a
 * node started by a short-lived {@code ./dtx start} is re-parented to PID 1 when that JVM exits; in a
 * container PID 1 may never reap it. So on Linux we also read the state from {@code /proc}.
 */
public final class Liveness {

    private static final Duration POLL = Duration.ofMillis(100);

    private Liveness() {
    }

    public static boolean isAlive(ProcessHandle handle) {
        return handle.isAlive() && !isZombie(handle.pid());
    }

    static boolean isZombie(long pid) {
        // no /proc (macOS) or already gone: isAlive() has the final word
        return statFields(pid).map(fields -> fields[0].equals("Z")).orElse(false);
    }

    /**
     * The fields of {@code /proc/<pid>/stat} from the third on (state, ppid, ...; field n is element n - 3), or empty
     * without {@code /proc} or once the process is gone.
     */
    static Optional<String[]> statFields(long pid) {
        try {
            String content = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) S ...": comm may contain spaces and parentheses, so look after the last ')'.
            int end = content.lastIndexOf(')');
            return end > 0 && end + 2 < content.length()
                    ? Optional.of(content.substring(end + 2).trim().split(" ")) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Waits until every process has ended or {@code timeout} passed, and returns those still alive. We
     * poll instead of {@code onExit()}, which for a process that is not our child never sees a zombie end.
     */
    public static List<ProcessHandle> awaitExit(Collection<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ProcessHandle> alive = handles.stream().filter(Liveness::isAlive).toList();
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            alive = alive.stream().filter(Liveness::isAlive).toList();
        }
        return alive;
    }
}
