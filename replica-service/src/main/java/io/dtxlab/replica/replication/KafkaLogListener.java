package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.LogEntry;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A slave's end of ASYNC replication: every replica consumes the log topic in its own consumer group and applies
 * what it has not applied yet. A new group starts at the end of the topic; what it missed comes by catch-up. The
 * consumer long-polls ({@code spring.kafka.consumer.fetch-max-wait}, 5 s in the platform defaults): an entry reaches it
 * the moment it is appended, and an idle slave asks the broker again every 5 s.
 */
@Component
class KafkaLogListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(KafkaLogListener.class);

    private final LogApplier applier;
    private final JsonMapper json;
    private volatile boolean assigned;

    KafkaLogListener(LogApplier applier, JsonMapper json) {
        this.applier = applier;
        this.json = json;
    }

    @KafkaListener(id = "replication-log-${dtx.node.id}", topics = "${dtx.replication.topic:dtx.replication-log}",
            groupId = "dtx-replication-${dtx.node.id}",
            properties = "auto.offset.reset=latest")
    void onEntry(String payload) {
        try {
            applier.fromKafka(json.readValue(payload, LogEntry.class));
        } catch (RuntimeException e) {
            log.warn("log entry from Kafka not applied: {}", e.getMessage());
        }
    }

    @Override
    public void onPartitionsAssigned(Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
        assigned = !assignments.isEmpty();
    }

    /** Whether this replica's consumer has its partition of the log topic: it receives ASYNC entries. */
    boolean assigned() {
        return assigned;
    }
}
