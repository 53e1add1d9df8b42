package io.dtxlab.platform.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The armed faults of this node, and the one call every fault point makes. With no rule armed,
 * {@link #at} is a read of an empty list: cheap enough for the hot path.
 */
@Component
public class FaultInjector {

    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    private final List<Armed> rules = new CopyOnWriteArrayList<>();
    private final Map<String, FaultPoint> points = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CrashHandler crashHandler;

    FaultInjector(CrashHandler crashHandler, ObjectProvider<FaultPoint> declared) {
        this.crashHandler = crashHandler;
        declared.orderedStream().forEach(this::declare);
    }

    /** Makes a fault point known, so rules for it are accepted and it shows in the catalogue. */
    public void declare(FaultPoint point) {
        points.put(point.name(), point);
    }

    public List<FaultPoint> points() {
        return points.values().stream().sorted(java.util.Comparator.comparing(FaultPoint::name)).toList();
    }

    /**
     * Passes a fault point. Applies the first armed rule that matches: waits for DELAY, throws
     * {@link InjectedFaultException} for ERROR, crashes the node for CRASH, and tells the caller to lose its
     * message for DROP.
     *
     * @param point the point's name
     * @param scope the transaction id or key being worked on, or null
     * @param peer the node the message goes to or comes from, or null
     */
    public Injected at(String point, String scope, String peer) {
        if (rules.isEmpty()) {
            return Injected.NONE;
        }
        for (Armed armed : rules) {
            if (armed.rule.matches(point, scope, peer) && armed.take()) {
                if (armed.exhausted()) {
                    rules.remove(armed);
                }
                return apply(armed.rule, point, scope);
            }
        }
        return Injected.NONE;
    }

    public Injected at(String point, String scope) {
        return at(point, scope, null);
    }

    public FaultRule arm(String point, FaultAction action, Duration delay, String scope, String peer, Integer times) {
        if (!isKnown(point)) {
            throw new IllegalArgumentException("unknown fault point '" + point + "'; known points: "
                    + String.join(", ", points.keySet()) + ", and " + FaultPoint.SEND + "<kind>, " + FaultPoint.REPLY + "<kind>");
        }
        if (action == FaultAction.DELAY && (delay == null || delay.isNegative() || delay.isZero())) {
            throw new IllegalArgumentException("a DELAY fault needs a positive delayMs");
        }
        if (times != null && times < 1) {
            throw new IllegalArgumentException("times must be at least 1, or left out for every time");
        }
        FaultRule rule = new FaultRule("f" + ids.incrementAndGet(), point, action,
                action == FaultAction.DELAY ? delay : null, scope, peer, times);
        rules.add(new Armed(rule, times));
        log.info("fault armed: {} {} at {}{}{}{}", rule.id(), action, point,
                scope == null ? "" : " for " + scope, peer == null ? "" : " peer " + peer,
                times == null ? "" : " x" + times);
        return rule;
    }

    /** Whether any rule is armed: a read of one list, cheap enough for every message on the hot path. */
    public boolean isArmed() {
        return !rules.isEmpty();
    }

    public List<ArmedFault> armed() {
        List<ArmedFault> list = new ArrayList<>();
        rules.forEach(a -> list.add(new ArmedFault(a.rule, a.remaining == null ? null : a.remaining.get(), a.hits.get())));
        return list;
    }

    public boolean clear(String id) {
        return rules.removeIf(a -> a.rule.id().equals(id));
    }

    public void clearAll() {
        rules.clear();
        log.info("all faults cleared");
    }

    private boolean isKnown(String point) {
        return points.containsKey(point)
                || (point.startsWith(FaultPoint.SEND) && point.length() > FaultPoint.SEND.length())
                || (point.startsWith(FaultPoint.REPLY) && point.length() > FaultPoint.REPLY.length());
    }

    private Injected apply(FaultRule rule, String point, String scope) {
        log.info("fault {} fires: {} at {}{}", rule.id(), rule.action(), point, scope == null ? "" : " for " + scope);
        switch (rule.action()) {
            case DELAY -> sleep(rule.delay());
            case ERROR -> throw new InjectedFaultException(point, scope);
            case DROP -> {
                return Injected.DROP;
            }
            case CRASH -> {
                crashHandler.crash(point, scope);
                throw new NodeCrashedException(point); // a handler that returned must not let the caller go on
            }
        }
        return Injected.NONE;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis()); // the injected delay itself, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A rule with its remaining count and how often it fired. */
    public record ArmedFault(FaultRule rule, Integer remaining, long hits) {
    }

    private static final class Armed {
        final FaultRule rule;
        final AtomicInteger remaining;
        final AtomicLong hits = new AtomicLong();

        Armed(FaultRule rule, Integer times) {
            this.rule = rule;
            this.remaining = times == null ? null : new AtomicInteger(times);
        }

        boolean take() {
            if (remaining != null && remaining.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
                return false;
            }
            hits.incrementAndGet();
            return true;
        }

        boolean exhausted() {
            return remaining != null && remaining.get() <= 0;
        }
    }
}
