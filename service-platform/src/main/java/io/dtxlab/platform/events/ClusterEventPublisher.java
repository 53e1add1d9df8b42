package io.dtxlab.platform.events;

import io.dtxlab.platform.node.NodeIdentity;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes cluster events to Kafka, keyed by node, in order, from one background thread. Publishing never
 * blocks or fails the caller. An event that cannot be sent is tried a few more times (a broker that is still
 * creating the topic while nine nodes start at once answers slowly), then logged and given up: events are
 * for watching, not for correctness.
 */
@Component
public class ClusterEventPublisher implements DisposableBean {

    public static final String TOPIC = "dtx.cluster-events";
    private static final Logger log = LoggerFactory.getLogger(ClusterEventPublisher.class);
    private static final int ATTEMPTS = 5;

    private final KafkaTemplate<String, String> kafka;
    private final NodeIdentity node;
    private final JsonMapper json;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "cluster-events");
        thread.setDaemon(true);
        return thread;
    });

    ClusterEventPublisher(KafkaTemplate<String, String> kafka, NodeIdentity node, JsonMapper json) {
        this.kafka = kafka;
        this.node = node;
        this.json = json;
    }

    public void publish(String type, Map<String, Object> details) {
        ClusterEvent event = new ClusterEvent(type, node.id(), node.incarnation(), Instant.now(), details);
        String payload = json.writeValueAsString(event);
        sender.execute(() -> send(type, payload));
    }

    private void send(String type, String payload) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                kafka.send(TOPIC, node.id(), payload).get(10, TimeUnit.SECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (attempt == ATTEMPTS) {
                    log.warn("cluster event {} not published after {} attempts: {}", type, ATTEMPTS, e.getMessage());
                    return;
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(500L << attempt); // retry pacing on a background thread, not synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void announceStart() {
        publish("NODE_STARTED", Map.of("role", node.role().name()));
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
    }
}
