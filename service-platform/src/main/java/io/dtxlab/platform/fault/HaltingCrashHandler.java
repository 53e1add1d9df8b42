package io.dtxlab.platform.fault;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real crash: the JVM halts without shutdown hooks, so nothing after the point reaches the disk. The log is the one
 * exception: its queue (see {@code logback-spring.xml}) is drained first, so the log ends with the crash's own line.
 */
public class HaltingCrashHandler implements CrashHandler {

    private static final Logger log = LoggerFactory.getLogger(HaltingCrashHandler.class);

    @Override
    public void crash(String point, String scope) {
        log.warn("CRASH injected at {} (scope {}): halting the JVM now", point, scope);
        ILoggerFactory loggers = LoggerFactory.getILoggerFactory();
        if (loggers instanceof LoggerContext logback) {
            logback.stop(); // waits for the logging thread to write what is queued (at most a second)
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(137);
    }
}
