package io.dtxlab.platform.fault;

/** Stops this node abruptly at a fault point. Never returns normally. */
@FunctionalInterface
public interface CrashHandler {

    /**
     * Crash now. Implementations must not let the caller carry on: they halt the JVM or throw
     * {@link NodeCrashedException} after the node's storage is cut off.
     */
    void crash(String point, String scope);
}
