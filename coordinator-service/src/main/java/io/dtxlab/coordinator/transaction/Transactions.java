package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.CoordinatorProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The transactions in this coordinator's memory: every unfinished one, and the most recent finished ones with their
 * timelines. The log is the truth; this is what makes a timeline worth looking at.
 */
@Component
class Transactions {

    private final Map<String, TransactionRun> active = new ConcurrentHashMap<>();
    private final Map<String, TransactionRun> finished;

    Transactions(CoordinatorProperties properties, MeterRegistry meters) {
        int keep = properties.keepRecent();
        this.finished = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, TransactionRun> eldest) {
                return size() > keep;
            }
        };
        // a NONE transaction is never in doubt: each branch decides alone, at once
        Gauge.builder("dtx.tx.in.doubt", active, a -> a.values().stream()
                        .filter(r -> r.protocol().isAtomic() && !r.isDecisionDurable()).count())
                .description("Transactions in phase 1: begun, not yet decided (their prepared branches are in doubt)")
                .register(meters);
        Gauge.builder("dtx.tx.awaiting.ack", active, a -> a.values().stream().filter(TransactionRun::isDecisionDurable).count())
                .description("Transactions decided whose phase 2 is not acknowledged by every participant yet")
                .register(meters);
    }

    /** Adds a run unless one with that xid is known; returns the one that is. */
    TransactionRun add(TransactionRun run) {
        TransactionRun existing = find(run.xid());
        if (existing != null) {
            return existing;
        }
        TransactionRun raced = active.putIfAbsent(run.xid(), run);
        return raced != null ? raced : run;
    }

    TransactionRun find(String xid) {
        TransactionRun run = active.get(xid);
        if (run != null) {
            return run;
        }
        synchronized (finished) {
            return finished.get(xid);
        }
    }

    void finish(TransactionRun run) {
        synchronized (finished) {
            finished.put(run.xid(), run);
        }
        active.remove(run.xid());
    }

    void forget(String xid) {
        active.remove(xid);
    }

    List<TransactionRun> active() {
        return new ArrayList<>(active.values());
    }

    /**
     * The most recent runs the log does not hold (NONE logs nothing), newest first, at most {@code limit}: from
     * memory only, so they are gone after a restart.
     */
    List<TransactionRun> recentUnlogged(int limit) {
        List<TransactionRun> runs = new ArrayList<>();
        active.values().stream().filter(r -> !r.protocol().isAtomic()).forEach(runs::add);
        synchronized (finished) {
            finished.values().stream().filter(r -> !r.protocol().isAtomic()).forEach(runs::add);
        }
        runs.sort(java.util.Comparator.comparing(TransactionRun::begunAt).reversed());
        return runs.size() > limit ? new ArrayList<>(runs.subList(0, limit)) : runs;
    }
}
