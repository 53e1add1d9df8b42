package io.dtxlab.platform.console;

import io.dtxlab.platform.LabProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's live feed: one server-sent-event stream per browser, fed from two sources that run only while at
 * least one browser is connected.
 * <ul>
 * <li>{@code snapshot}: the cluster map ({@link ClusterSnapshots}), read every {@code dtx.console.refresh-interval}
 * and pushed only when it changed; a leadership or master change read from Kafka triggers a read at once.</li>
 * <li>{@code cluster-event}: each event of the Kafka topic {@code dtx.cluster-events} as it arrives
 * ({@link ClusterEventTail}); a new browser first gets the last {@code dtx.console.recent-events}.</li>
 * </ul>
 * With no browser connected there is no thread, no timer, no Kafka consumer and no request to any node: the console
 * costs nothing at rest and nothing on the transaction path. A keep-alive comment every 15 s finds browsers that left
 * without closing their stream.
 */
@Component
class ConsoleStream implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ConsoleStream.class);
    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    /** Events after which the map is read again at once rather than at the next refresh. */
    private static final Set<String> MAP_CHANGES = Set.of("LEADER_ELECTED", "MASTER_ELECTED", "NODE_STARTED",
            "REPLICA_REJOINED");

    private final ClusterSnapshots snapshots;
    private final ConsoleProperties properties;
    private final ObjectProvider<KafkaProperties> kafka;
    private final JsonMapper json;
    private final String self;
    private final List<SseEmitter> browsers = new CopyOnWriteArrayList<>();
    private final Deque<String> recentEvents = new ArrayDeque<>();

    /** Both null while no browser is connected. */
    private ScheduledExecutorService timer;
    private ExecutorService readers;
    private ClusterEventTail events;
    private volatile String lastSnapshot;

    ConsoleStream(ClusterSnapshots snapshots, ConsoleProperties properties, ObjectProvider<KafkaProperties> kafka,
            JsonMapper json, LabProperties lab) {
        this.snapshots = snapshots;
        this.properties = properties;
        this.kafka = kafka;
        this.json = json;
        this.self = lab.node().id();
    }

    /** A new browser: its stream starts with the last map and the recent events; the first browser starts the feed. */
    synchronized SseEmitter connect() {
        SseEmitter browser = new SseEmitter(STREAM_TIMEOUT.toMillis());
        browser.onCompletion(() -> leave(browser));
        browser.onTimeout(() -> leave(browser));
        browser.onError(e -> leave(browser));
        browsers.add(browser);
        String snapshot = lastSnapshot;
        List<String> backlog;
        synchronized (recentEvents) {
            backlog = List.copyOf(recentEvents);
        }
        try {
            browser.send(SseEmitter.event().comment("served by " + self));
            if (snapshot != null) {
                browser.send(SseEmitter.event().name("snapshot").data(snapshot, MediaType.APPLICATION_JSON));
            }
            for (String event : backlog) {
                browser.send(SseEmitter.event().name("cluster-event").data(event, MediaType.APPLICATION_JSON));
            }
        } catch (IOException e) {
            browsers.remove(browser);
            return browser;
        }
        if (timer == null) {
            start();
        } else {
            refreshSoon();
        }
        return browser;
    }

    private synchronized void leave(SseEmitter browser) {
        if (browsers.remove(browser) && browsers.isEmpty()) {
            stop();
        }
    }

    private void start() {
        lastSnapshot = null;
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "console-refresh"));
        readers = Executors.newFixedThreadPool(8, r -> daemon(r, "console-read"));
        timer.scheduleWithFixedDelay(this::refresh, 0, properties.refreshInterval().toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(this::keepAlive, KEEP_ALIVE.toMillis(), KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        KafkaProperties settings = kafka.getIfAvailable();
        if (settings != null) {
            synchronized (recentEvents) {
                recentEvents.clear(); // the tail reads the backlog again from Kafka
            }
            events = new ClusterEventTail(settings.buildConsumerProperties(), "console-" + self,
                    properties.recentEvents());
            events.start(this::onClusterEvent);
        }
        log.info("console: a browser is connected; following the cluster");
    }

    private void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        readers.shutdownNow();
        timer = null;
        readers = null;
        if (events != null) {
            events.stop();
            events = null;
        }
        log.info("console: no browser left; stopped following the cluster");
    }

    private void refreshSoon() {
        ScheduledExecutorService t = timer;
        if (t != null) {
            try {
                t.execute(this::refresh);
            } catch (RejectedExecutionException e) {
                // the last browser just left
            }
        }
    }

    /** On the refresh thread only: reads the map and pushes it when it changed. */
    private void refresh() {
        ExecutorService pool = readers;
        if (pool == null) {
            return;
        }
        try {
            String snapshot = json.writeValueAsString(snapshots.take(pool));
            if (!snapshot.equals(lastSnapshot)) {
                lastSnapshot = snapshot;
                broadcast("snapshot", snapshot);
            }
        } catch (RejectedExecutionException e) {
            // stopping
        } catch (RuntimeException e) {
            log.warn("console: reading the cluster map failed: {}", e.toString());
        }
    }

    private void onClusterEvent(String event) {
        synchronized (recentEvents) {
            recentEvents.addLast(event);
            while (recentEvents.size() > properties.recentEvents()) {
                recentEvents.removeFirst();
            }
        }
        broadcast("cluster-event", event);
        try {
            String type = json.readTree(event).path("type").asString("");
            if (MAP_CHANGES.contains(type)) {
                refreshSoon();
            }
        } catch (RuntimeException e) {
            // not an event of ours: shown as it is
        }
    }

    private void keepAlive() {
        for (SseEmitter browser : browsers) {
            try {
                browser.send(SseEmitter.event().comment("keep-alive"));
            } catch (IOException | IllegalStateException e) {
                leave(browser);
            }
        }
    }

    private void broadcast(String name, String data) {
        for (SseEmitter browser : browsers) {
            try {
                browser.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                leave(browser);
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public synchronized void destroy() {
        browsers.forEach(SseEmitter::complete);
        browsers.clear();
        stop();
    }
}
