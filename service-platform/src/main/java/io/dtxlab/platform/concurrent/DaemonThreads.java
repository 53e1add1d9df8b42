package io.dtxlab.platform.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Background threads of a node: daemons (a crash or shutdown never waits for them), named after what they do and
 * the node they belong to ({@code dtx-phase-two-coordinator-1}), so thread dumps and logs tell them apart.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    /** Names threads {@code name}, then {@code name-2}, {@code name-3}, ... */
    public static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            int i = n.incrementAndGet();
            Thread t = new Thread(r, i == 1 ? name : name + "-" + i);
            t.setDaemon(true);
            return t;
        };
    }

    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }

    public static ScheduledExecutorService scheduler(String name, int threads) {
        return Executors.newScheduledThreadPool(threads, named(name));
    }

    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }

    /**
     * At most {@code threads} threads, started as work arrives and then kept (no churn under bursty load); work beyond
     * them waits in an unbounded queue, in order.
     */
    public static ExecutorService fixed(String name, int threads) {
        return Executors.newFixedThreadPool(threads, named(name));
    }
}
