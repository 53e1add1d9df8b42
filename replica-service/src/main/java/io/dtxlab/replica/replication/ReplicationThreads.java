package io.dtxlab.replica.replication;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.MDC;

/** Replication's background threads: daemons named after their job and node, logging with the node's name. */
final class ReplicationThreads {

    private ReplicationThreads() {
    }

    static ThreadFactory named(String node, String job) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(() -> {
                MDC.put("node", node);
                runnable.run();
            }, job + "-" + node + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
