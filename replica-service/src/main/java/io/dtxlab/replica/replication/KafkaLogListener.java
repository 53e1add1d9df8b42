package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.EpochHistory;
import io.dtxlab.core.replication.LogEntry;
import io.dtxlab.platform.fault.PartitionTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
 *
 * <p>The broker is not a node of the partition table, so a partition cannot stop the master publishing. It cuts the
 * entry's path all the same: a slave cut off from the master that wrote an entry (the master of the entry's epoch)
 * drops it as if it never arrived, and catch-up brings it once the partition heals, as it would over a real network.
 */
@Component
class KafkaLogListener implements ConsumerSeekAware {

    private static final Logger log = LoggerFactory.getLogger(KafkaLogListener.class);

    /** Counter of entries dropped because a partition cuts this slave off from their writer. */
    static final String CUT_METER = "dtx.replication.kafka.cut";

    private final LogApplier applier;
    private final JsonMapper json;
    private final PartitionTable partitions;
    private final ReplicaState state;
    private final Counter cut;
    private volatile boolean assigned;

    KafkaLogListener(LogApplier applier, JsonMapper json, PartitionTable partitions, ReplicaState state,
            MeterRegistry meters) {
        this.applier = applier;
        this.json = json;
        this.partitions = partitions;
        this.state = state;
        this.cut = Counter.builder(CUT_METER)
                .description("ASYNC entries this slave dropped on arrival from Kafka: a partition cut it off from "
                        + "the master that wrote them")
                .register(meters);
    }

    @KafkaListener(id = "replication-log-${dtx.node.id}", topics = "${dtx.replication.topic:dtx.replication-log}",
            groupId = "dtx-replication-${dtx.node.id}",
            properties = "auto.offset.reset=latest")
    void onEntry(String payload) {
        try {
            LogEntry entry = json.readValue(payload, LogEntry.class);
            String writer = state.history().epoch(entry.epoch()).map(EpochHistory.Epoch::master).orElse(null);
            if (partitions.isCutOffFrom(writer)) {
                cut.increment();
                log.debug("entry {} ({}) from Kafka dropped: this replica is cut off from {}, which wrote it",
                        entry.index(), entry.key(), writer);
                return;
            }
            applier.fromKafka(entry);
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
