package io.dtxlab.platform.events;

import io.dtxlab.platform.node.NodeIdentity;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes cluster events to Kafka, keyed by node. Publishing never blocks or fails the caller: an
 * event that cannot be sent (Kafka down) is logged and given up, since events are for watching, not
 * for correctness.
 */
@Component
public class ClusterEventPublisher {

    public static final String TOPIC = "dtx.cluster-events";
    private static final Logger log = LoggerFactory.getLogger(ClusterEventPublisher.class);

    private final KafkaTemplate<String, String> kafka;
    private final NodeIdentity node;
    private final JsonMapper json;

    ClusterEventPublisher(KafkaTemplate<String, String> kafka, NodeIdentity node, JsonMapper json) {
        this.kafka = kafka;
        this.node = node;
        this.json = json;
    }

    public void publish(String type, Map<String, Object> details) {
        ClusterEvent event = new ClusterEvent(type, node.id(), node.incarnation(), Instant.now(), details);
        String payload = json.writeValueAsString(event);
        // send() may wait for metadata (max.block.ms); keep that off the caller's thread
        CompletableFuture.runAsync(() -> kafka.send(TOPIC, node.id(), payload).whenComplete((result, error) -> {
            if (error != null) {
                log.warn("cluster event {} not published: {}", type, error.getMessage());
            }
        })).exceptionally(error -> {
            log.warn("cluster event {} not published: {}", type, error.getMessage());
            return null;
        });
    }

    @EventListener(ApplicationReadyEvent.class)
    void announceStart() {
        publish("NODE_STARTED", Map.of("role", node.role().name()));
    }
}
