package io.dtxlab.replica.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.platform.fault.FaultAction;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.replica.ReplicaApplication;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import io.dtxlab.testsupport.ZipkinCollector;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** Three real replica services and what the scenario tests do with them, over HTTP. */
final class Replicas {

    static final String[] IDS = {"replica-1", "replica-2", "replica-3"};

    private final LabClusterExtension extension;

    private Replicas(LabClusterExtension extension) {
        this.extension = extension;
    }

    /** Three replicas with quick timers, on a Kafka topic of their own (the broker is shared by every test class). */
    static LabClusterExtension cluster(String failover) {
        return cluster(failover, "3s");
    }

    /** As {@link #cluster(String)}, with the time after which a lagging slave is caught up over REST. */
    static LabClusterExtension cluster(String failover, String stallTimeout) {
        return LabClusterExtension.of(b -> replicas(b, failover, stallTimeout));
    }

    /** As {@link #cluster(String)}, traced ({@code dtx.tracing.enabled}): every replica reports its spans to zipkin. */
    static LabClusterExtension tracedCluster(String failover, ZipkinCollector zipkin) {
        return LabClusterExtension.of(b -> replicas(b, failover, "3s")
                .property("dtx.tracing.enabled", "true")
                .property("management.tracing.export.zipkin.endpoint", zipkin.endpoint()));
    }

    private static LabCluster.Builder replicas(LabCluster.Builder b, String failover, String stallTimeout) {
        return b.node("replica-1", ReplicaApplication.class)
                .node("replica-2", ReplicaApplication.class)
                .node("replica-3", ReplicaApplication.class)
                .property("dtx.replication.failover", failover)
                .property("dtx.replication.heartbeat-interval", "200ms")
                .property("dtx.replication.master-timeout", "1500ms")
                .property("dtx.replication.replicate-timeout", "1s")
                .property("dtx.replication.stall-timeout", stallTimeout)
                .property("dtx.replication.topic", "dtx.replication-log-" + UUID.randomUUID());
    }

    static Replicas of(LabClusterExtension extension) {
        return new Replicas(extension);
    }

    LabCluster cluster() {
        return extension.cluster();
    }

    LabNode node(String id) {
        return extension.node(id);
    }

    static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
    }

    ResponseEntity<String> put(String node, String key, String value) {
        return node(node).http().put().uri("/kv/{key}", key).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("value", value)).retrieve().toEntity(String.class);
    }

    /** Writes and expects a receipt. */
    JsonNode write(String node, String key, String value) {
        ResponseEntity<String> response = put(node, key, value);
        assertThat(response.getStatusCode().value()).as("PUT %s on %s: %s", key, node, response.getBody()).isEqualTo(200);
        return ServiceContract.parse(response.getBody());
    }

    ResponseEntity<String> get(String node, String key) {
        return node(node).http().get().uri("/kv/{key}", key).retrieve().toEntity(String.class);
    }

    /** The key's value on that replica, or null when it does not have the key. */
    String valueOn(String node, String key) {
        ResponseEntity<String> response = get(node, key);
        return response.getStatusCode().value() == 404 ? null : ServiceContract.parse(response.getBody()).path("value").asString();
    }

    JsonNode snapshot(String node) {
        return ServiceContract.json(node(node), "/kv").path("entries");
    }

    JsonNode status(String node) {
        return ServiceContract.json(node(node), "/replication/status");
    }

    JsonNode lostWrites(String node) {
        return ServiceContract.json(node(node), "/replication/lost-writes");
    }

    JsonNode messages(String node, String scope) {
        String body = node(node).admin().get().uri("/admin/messages?scope={scope}", scope).retrieve().body(String.class);
        return ServiceContract.parse(body);
    }

    /** Switches the master's settings, and waits until it takes writes (a slave that lags is caught up first). */
    void settings(String master, String json) {
        ResponseEntity<String> response = node(master).admin().put().uri("/admin/replication/settings")
                .contentType(MediaType.APPLICATION_JSON).body(json).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as("settings: %s", response.getBody()).isEqualTo(200);
        await("writes accepted by " + master).until(() -> "accepted".equals(status(master).path("writes").asString()));
    }

    void arm(String node, String point, FaultAction action, long delayMs, String scope, Integer times) {
        node(node).bean(FaultInjector.class).arm(point, action, Duration.ofMillis(delayMs), scope, null, times);
    }

    /** Every replica runs, has no faults, and the master counts every slave in sync. */
    void awaitHealthyWithMaster(String master) {
        for (String id : IDS) {
            if (!node(id).isRunning()) {
                cluster().start(id);
            }
            node(id).bean(FaultInjector.class).clearAll();
        }
        await("every slave in sync with " + master).until(() -> {
            JsonNode status = status(master);
            if (!"MASTER".equals(status.path("role").asString()) || !"accepted".equals(status.path("writes").asString())) {
                return false;
            }
            for (JsonNode peer : status.path("peers")) {
                if (!"IN_SYNC".equals(peer.path("sync").asString())) {
                    return false;
                }
            }
            return true;
        });
    }

    void awaitKafkaConsumers() {
        await("Kafka consumers assigned").until(() -> {
            for (String id : IDS) {
                if (!status(id).path("kafkaConsumerReady").asBoolean()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Every replica holds exactly the master's data. */
    void awaitConverged(String master) {
        await("every replica equals " + master).untilAsserted(() -> {
            JsonNode expected = snapshot(master);
            for (String id : IDS) {
                assertThat(snapshot(id)).as("data of %s", id).isEqualTo(expected);
            }
        });
    }
}
