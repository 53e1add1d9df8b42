package io.dtxlab.platform.fault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real crash: the JVM halts without shutdown hooks, so nothing after the point reaches the disk. */
public class HaltingCrashHandler implements CrashHandler {

    private static final Logger log = LoggerFactory.getLogger(HaltingCrashHandler.class);

    @Override
    public void crash(String point, String scope) {
        log.warn("CRASH injected at {} (scope {}): halting the JVM now", point, scope);
        System.err.flush();
        Runtime.getRuntime().halt(137);
    }
}
