package io.dtxlab.replica.quorum;

import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Hinted handoff: while this node holds hints, every {@code dtx.quorum.hint-delivery-interval} it offers them to
 * their owners, one message per owner and key. An owner that is still down just fails the message; the hints stay for
 * the next round. A hint is deleted only once its owner has acknowledged it (on its disk), so none is lost, and
 * one delivered twice is harmless: the owner's reconciliation drops what it already has. The task runs on its own
 * thread, off every request's path; with no hints it does not run at all (storing a hint plans the next round).
 */
@Component
class HintedHandoff implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(HintedHandoff.class);
    private static final int BATCH = 200;

    private final HintStore hints;
    private final ClusterClient client;
    private final QuorumStats stats;
    private final Duration interval;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final AtomicBoolean planned = new AtomicBoolean();
    private volatile boolean ready;

    HintedHandoff(HintStore hints, ClusterClient client, QuorumStats stats, QuorumProperties properties) {
        this.hints = hints;
        this.client = client;
        this.stats = stats;
        this.interval = properties.hintDeliveryInterval();
        this.timeout = properties.requestTimeout();
        hints.onAdded(this::schedule);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quorum-hinted-handoff-" + client.self());
            t.setDaemon(true);
            return t;
        });
    }

    /** Hints left from before a restart are offered one interval after start; new hints wake the handoff up. */
    @EventListener(ApplicationReadyEvent.class)
    void start() {
        ready = true;
        if (hints.pending() > 0) {
            schedule();
        }
    }

    /** Plans a round one interval from now, unless one is planned already (or the node is not ready yet). */
    private void schedule() {
        if (ready && planned.compareAndSet(false, true)) {
            try {
                timer.schedule(this::round, interval.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                planned.set(false); // shutting down
            }
        }
    }

    private void round() {
        planned.set(false); // a hint stored from now on plans the next round itself
        try {
            deliver();
        } catch (RuntimeException e) {
            log.warn("quorum: hinted handoff round failed, next in {}: {}", interval, e.toString());
        }
        try {
            if (hints.pending() > 0) {
                schedule();
            }
        } catch (RuntimeException e) {
            log.warn("quorum: cannot count the hints left, next round in {}: {}", interval, e.toString());
            schedule();
        }
    }

    /** One round: hands every owner that answers the hints held for it. Returns how many were delivered. */
    int deliver() {
        if (hints.pending() == 0) {
            return 0;
        }
        int delivered = 0;
        for (String owner : hints.owners()) {
            Map<String, List<HintStore.Hint>> byKey = new LinkedHashMap<>();
            hints.forOwner(owner, BATCH).forEach(h -> byKey.computeIfAbsent(h.key(), k -> new ArrayList<>()).add(h));
            for (var entry : byKey.entrySet()) {
                List<HintStore.Hint> batch = entry.getValue();
                var put = new ReplicaMessages.Put(entry.getKey(),
                        batch.stream().map(h -> VersionBody.of(h.version())).toList(), null);
                try {
                    client.post(owner, ReplicaChannel.HANDOFF, entry.getKey(), "/internal/quorum/put", put,
                            ReplicaMessages.Ack.class, timeout);
                } catch (RuntimeException e) {
                    log.debug("quorum: {} still does not take its hints: {}", owner, e.getMessage());
                    break; // the owner is still down: its other keys wait for the next round too
                }
                hints.delete(batch);
                delivered += batch.size();
                stats.hintsDelivered(batch.size());
                log.info("quorum: handed {} hint(s) of key {} back to {}", batch.size(), entry.getKey(), owner);
            }
        }
        return delivered;
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
