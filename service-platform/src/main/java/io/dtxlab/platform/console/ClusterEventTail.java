package io.dtxlab.platform.console;

import io.dtxlab.platform.events.ClusterEventPublisher;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the topic {@code dtx.cluster-events} on its own thread while the console has a browser, from the last
 * {@code backlog} events of each partition on, and hands every event (its JSON) to a sink. No consumer group: the
 * console reads, never commits, and no other node waits for it. {@link #stop} wakes the consumer and ends the thread.
 */
final class ClusterEventTail {

    private static final Logger log = LoggerFactory.getLogger(ClusterEventTail.class);
    private static final Duration TOPIC_RETRY = Duration.ofSeconds(2);

    private final Map<String, Object> config;
    private final int backlog;
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;

    /** @param kafka the node's consumer settings (bootstrap servers and the like); group and codecs are set here */
    ClusterEventTail(Map<String, Object> kafka, String clientId, int backlog) {
        this.config = new HashMap<>(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        this.backlog = backlog;
    }

    void start(Consumer<String> sink) {
        running = true;
        Thread thread = new Thread(() -> follow(sink), "console-events");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private void follow(Consumer<String> sink) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(config)) {
            consumer = c;
            if (!running) {
                return;
            }
            List<TopicPartition> partitions = awaitTopic(c);
            if (partitions.isEmpty()) {
                return;
            }
            c.assign(partitions);
            Map<TopicPartition, Long> ends = c.endOffsets(partitions);
            Map<TopicPartition, Long> begins = c.beginningOffsets(partitions);
            for (TopicPartition p : partitions) {
                c.seek(p, Math.max(begins.getOrDefault(p, 0L), ends.getOrDefault(p, 0L) - backlog));
            }
            while (running) {
                for (ConsumerRecord<String, String> event : c.poll(Duration.ofSeconds(5))) {
                    sink.accept(event.value());
                }
            }
        } catch (WakeupException e) {
            // stopped
        } catch (RuntimeException e) {
            log.warn("console: cluster events not followed: {}", e.toString());
        } finally {
            consumer = null;
        }
    }

    /** The topic's partitions, once it exists (the first event creates it); empty when stopped meanwhile. */
    private List<TopicPartition> awaitTopic(KafkaConsumer<String, String> c) {
        while (running) {
            try {
                var infos = c.partitionsFor(ClusterEventPublisher.TOPIC, TOPIC_RETRY);
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // the broker is not there yet: ask again
            }
            try {
                Thread.sleep(TOPIC_RETRY.toMillis()); // pacing of a retry on this thread, not synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        return List.of();
    }
}
