package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.CoordinatorProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The transactions in this coordinator's memory: every unfinished one, and the most recent finished ones with their
 * timelines (a logged one until its timeline is stored, then only among the newest). The log is the truth; this is
 * what makes a timeline worth looking at.
 */
@Component
class Transactions {

    /**
     * Finished runs the log holds (every protocol but NONE) that stay in memory once their timeline is in the H2 file:
     * enough for a listing of the newest. The others leave as soon as their timeline is stored, since the log and the
     * file answer for them. Kept longer (the newest 2,000), each run (about 10 KB with its timeline) outlived the
     * young generation: at 290 orders/s the leader promoted 5.5 MB a second instead of 1.0, and its old generation
     * filled and was collected (full collections of about 200 ms) four times a minute instead of once.
     */
    static final int STORED_KEPT = 100;

    private final Map<String, TransactionRun> active = new ConcurrentHashMap<>();
    /** Finished NONE runs, which only memory holds: the newest {@code keep-recent}. Guarded by itself. */
    private final Map<String, TransactionRun> finished;
    /**
     * Finished runs the log holds, oldest first. They leave in that order once their timeline is stored and they are
     * not among the newest {@link #STORED_KEPT}, so one not stored yet holds back those behind it; never more than
     * {@code keep-recent}. Guarded by {@link #finished}.
     */
    private final LinkedHashMap<String, TransactionRun> finishedLogged = new LinkedHashMap<>();
    /**
     * The xids of the newest {@code keep-recent} logged runs that finished here, in memory or not: a begin that waited
     * behind its own transaction's end must be answered from the log, not run again. Guarded by {@link #finished}.
     */
    private final Set<String> endedLately;
    private final int keep;

    Transactions(CoordinatorProperties properties, MeterRegistry meters) {
        this.keep = properties.keepRecent();
        this.endedLately = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > keep;
            }
        });
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
        return findFinished(xid);
    }

    /** A finished run of {@code xid} still in memory, or null. */
    TransactionRun findFinished(String xid) {
        synchronized (finished) {
            TransactionRun logged = finishedLogged.get(xid);
            return logged != null ? logged : finished.get(xid);
        }
    }

    /** Whether a logged run of {@code xid} finished here lately (among the newest {@code keep-recent}). */
    boolean finishedLately(String xid) {
        synchronized (finished) {
            return endedLately.contains(xid);
        }
    }

    void finish(TransactionRun run) {
        synchronized (finished) {
            if (run.protocol().isAtomic()) {
                finishedLogged.put(run.xid(), run);
                endedLately.add(run.xid());
                forgetStored();
            } else {
                finished.put(run.xid(), run);
            }
        }
        active.remove(run.xid());
    }

    /**
     * Lets the oldest logged runs go whose timeline is stored, down to {@link #STORED_KEPT}; one not stored yet stops
     * it (the next finish looks again), unless there are {@code keep-recent} of them: a file that takes no timelines
     * must not fill the heap.
     */
    private void forgetStored() {
        var eldest = finishedLogged.values().iterator();
        while (eldest.hasNext()) {
            TransactionRun run = eldest.next();
            boolean storedAndOlder = finishedLogged.size() > STORED_KEPT && run.isTimelineStored();
            if (!storedAndOlder && finishedLogged.size() <= keep) {
                return;
            }
            eldest.remove();
        }
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
