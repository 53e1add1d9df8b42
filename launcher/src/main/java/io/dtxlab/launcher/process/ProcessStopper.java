package io.dtxlab.launcher.process;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Stops processes the way an operator would: SIGTERM so Spring closes its context (Kafka consumers
 * leave their group, H2 closes its files), then SIGKILL for whoever is still there after the grace time.
 */
public final class ProcessStopper {

    /** Spring Boot's graceful shutdown waits up to 30 s by default; 20 s is plenty for a lab node. */
    public static final Duration GRACE = Duration.ofSeconds(20);
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);

    private ProcessStopper() {
    }

    /** Stops all of them in parallel; returns the ones that needed SIGKILL. */
    public static List<ProcessHandle> stop(Collection<ProcessHandle> handles, Duration grace) {
        handles.forEach(ProcessHandle::destroy);
        List<ProcessHandle> stubborn = Liveness.awaitExit(handles, grace);
        stubborn.forEach(ProcessHandle::destroyForcibly);
        Liveness.awaitExit(stubborn, AFTER_KILL);
        return stubborn;
    }

    /** SIGKILL, as a crash would: no shutdown hooks, no goodbye. */
    public static boolean kill(ProcessHandle handle) {
        handle.destroyForcibly();
        return Liveness.awaitExit(List.of(handle), AFTER_KILL).isEmpty();
    }
}
