package io.dtxlab.platform.events;

import io.dtxlab.platform.node.NodeIdentity;
import io.dtxlab.platform.tracing.MessageTracing;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
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
 * Publishes cluster events to Kafka, keyed by node, from one background thread. Publishing never blocks or fails
 * the caller, and the thread does not wait for the broker's answer to one event before sending the next: under load
 * (an event per decided transaction) the producer batches them, one produce request for many events. Events of one
 * node arrive in the order published; only an event whose send failed outright and is tried again later (a broker
 * still creating the topic while nine nodes start at once) may land after later ones. After a few failed attempts
 * it is logged and given up: events are for watching, not for correctness.
 */
@Component
public class ClusterEventPublisher implements DisposableBean {

    public static final String TOPIC = "dtx.cluster-events";
    private static final Logger log = LoggerFactory.getLogger(ClusterEventPublisher.class);
    private static final int ATTEMPTS = 5;

    private final KafkaTemplate<String, String> kafka;
    private final NodeIdentity node;
    private final JsonMapper json;
    private final MessageTracing tracing;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "cluster-events");
        thread.setDaemon(true);
        return thread;
    });

    ClusterEventPublisher(KafkaTemplate<String, String> kafka, NodeIdentity node, JsonMapper json,
            MessageTracing tracing) {
        this.kafka = kafka;
        this.tracing = tracing;
        this.node = node;
        this.json = json;
    }

    public void publish(String type, Map<String, Object> details) {
        ClusterEvent event = new ClusterEvent(type, node.id(), node.incarnation(), Instant.now(), details);
        String payload = json.writeValueAsString(event);
        try {
            // with tracing on, the record carries the trace of whatever published it (Kafka's observation)
            sender.execute(tracing.wrap(() -> send(type, payload, 1)));
        } catch (RejectedExecutionException e) {
            // the node is stopping: the event is dropped, as any event that cannot be sent
        }
    }

    private void send(String type, String payload, int attempt) {
        try {
            kafka.send(TOPIC, node.id(), payload).whenComplete((sent, failure) -> {
                if (failure != null) {
                    again(type, payload, attempt, failure);
                }
            });
        } catch (RuntimeException e) {
            again(type, payload, attempt, e);
        }
    }

    /** Retry pacing on the background thread (500 ms, 1 s, 2 s, ...), not synchronisation. */
    private void again(String type, String payload, int attempt, Throwable failure) {
        if (attempt >= ATTEMPTS) {
            log.warn("cluster event {} not published after {} attempts: {}", type, ATTEMPTS, failure.getMessage());
            return;
        }
        try {
            sender.schedule(() -> send(type, payload, attempt + 1), 250L << attempt, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // stopping
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
