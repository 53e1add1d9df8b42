package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.LogEntry;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.tracing.MessageTracing;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ships ASYNC entries to the slaves through Kafka, after the write was answered, in log order from one thread, all on
 * one partition (one record key). An entry that cannot be published is left to the master's catch-up, which pushes
 * it over REST to a slave that stalls. Entries still queued when this replica stops being master are dropped: they
 * diverged and are reported when it rejoins.
 */
@Component
class AsyncShipper implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AsyncShipper.class);
    private static final String RECORD_KEY = "log";

    private final KafkaTemplate<String, String> kafka;
    private final JsonMapper json;
    private final FaultInjector faults;
    private final ReplicaState state;
    private final String topic;
    private volatile boolean running = true;
    private final ExecutorService sender;
    private final MessageTracing tracing;

    AsyncShipper(KafkaTemplate<String, String> kafka, JsonMapper json, FaultInjector faults, ReplicaState state,
            ReplicationProperties properties, MessageTracing tracing) {
        this.kafka = kafka;
        this.tracing = tracing;
        this.json = json;
        this.faults = faults;
        this.state = state;
        this.sender = Executors.newSingleThreadExecutor(ReplicationThreads.named(state.self(), "replication-shipper"));
        this.topic = properties.topic();
    }

    void publish(LogEntry entry) {
        String payload = json.writeValueAsString(entry);
        // with tracing on, the record carries the trace of the write (Kafka's observation), as far as the slaves
        sender.execute(tracing.wrap(() -> ship(entry, payload)));
    }

    private void ship(LogEntry entry, String payload) {
        faults.at(ReplicationFaultPoints.BEFORE_PUBLISH, entry.key());
        if (!running || Thread.currentThread().isInterrupted() || !state.isMaster() || state.epoch() != entry.epoch()) {
            log.info("entry {} ({}) not shipped: this replica stopped or is no longer master of epoch {}",
                    entry.index(), entry.key(), entry.epoch());
            return;
        }
        try {
            kafka.send(topic, RECORD_KEY, payload).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("entry {} ({}) not published to {}: {}; slaves that stall get it by catch-up", entry.index(),
                    entry.key(), topic, e.getMessage());
        }
    }

    @Override
    public void destroy() {
        running = false;
        sender.shutdownNow();
    }
}
