package io.dtxlab.replica.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.platform.fault.PartitionTable;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import io.dtxlab.testsupport.ZipkinCollector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * What a replica claims about itself must be what it can know: a slave cut off from its master does not know its
 * lag, and says so; settings that cannot work are refused, naming what is known. Three real replicas, failover WAIT.
 * Tracing is on in this cluster (nothing here is timed tightly): an ASYNC write is one trace, through Kafka.
 */
class FreshnessAndSettingsTest {

    /** Tracing is on in this cluster, and its spans go here (declared first: the replicas need its address). */
    static final ZipkinCollector zipkin = ZipkinCollector.start();

    @RegisterExtension
    static final LabClusterExtension extension = Replicas.tracedCluster("WAIT", zipkin);

    private final Replicas replicas = Replicas.of(extension);

    @AfterAll
    static void stopZipkin() {
        zipkin.close();
    }

    @BeforeEach
    void everyReplicaRunsAndIsInSync() {
        replicas.awaitHealthyWithMaster("replica-1");
    }

    @AfterEach
    void heal() {
        for (String id : Replicas.IDS) {
            replicas.node(id).bean(PartitionTable.class).heal();
        }
    }

    @Test
    void aSlaveCutOffFromItsMasterReportsItsLagAsUnknownNeverZeroAndSinceWhenItHeardNothing() {
        replicas.settings("replica-1", "{\"mode\":\"SYNC\",\"syncFailure\":\"DEGRADE\"}");
        replicas.write("replica-1", "fresh", "v1");
        JsonNode heard = read("replica-3", "fresh");
        assertThat(heard.path("possiblyStale").asBoolean()).isFalse();
        assertThat(heard.path("lagEntries").asLong()).isZero();

        // replica-3 is cut off from its master, which goes on without it
        replicas.node("replica-3").bean(PartitionTable.class).cutOffFrom(List.of("replica-1"));
        replicas.node("replica-1").bean(PartitionTable.class).cutOffFrom(List.of("replica-3"));
        assertThat(replicas.write("replica-1", "fresh", "v2").path("degraded").asBoolean()).isTrue();

        // once the master timeout has passed, replica-3 serves v1 and says it may be stale, not that it lags by 0
        Replicas.await("replica-3 knows it cannot know").until(() -> read("replica-3", "fresh")
                .path("possiblyStale").asBoolean());
        JsonNode stale = read("replica-3", "fresh");
        assertThat(stale.path("value").asString()).isEqualTo("v1");
        assertThat(stale.has("lagEntries")).as("lagEntries unknown: %s", stale).isFalse();
        assertThat(stale.has("lagMs")).as("lagMs unknown: %s", stale).isFalse();
        Instant lastHeard = Instant.parse(stale.path("lastHeardFromMasterAt").asString());
        assertThat(lastHeard).isBefore(Instant.now());
        assertThat(stale.path("masterSilentForMs").asLong()).isGreaterThan(1500);
        assertThat(stale.path("staleReason").asString()).contains("replica-1 not heard");

        // its status says the same
        JsonNode status = replicas.status("replica-3");
        assertThat(status.path("masterReachable").asBoolean()).isFalse();
        assertThat(status.path("possiblyStale").asBoolean()).isTrue();
        assertThat(status.has("lagEntries")).isFalse();
        assertThat(status.has("lagMs")).isFalse();
        assertThat(Instant.parse(status.path("lastHeardFromMasterAt").asString())).isEqualTo(lastHeard);

        // the slave that still hears the master has it all, and knows it
        JsonNode other = read("replica-2", "fresh");
        assertThat(other.path("value").asString()).isEqualTo("v2");
        assertThat(other.path("possiblyStale").asBoolean()).isFalse();
        assertThat(other.path("lagEntries").asLong()).isZero();

        // healed, replica-3 catches up and is fresh again
        heal();
        Replicas.await("replica-3 caught up").until(() -> {
            JsonNode r = read("replica-3", "fresh");
            return "v2".equals(r.path("value").asString()) && !r.path("possiblyStale").asBoolean();
        });
    }

    @Test
    void semiSyncAcksAboveTheNumberOfSlavesIsRefusedNamingHowManySlavesThereAre() {
        replicas.settings("replica-1", "{\"mode\":\"SYNC\",\"syncFailure\":\"REJECT\"}");

        ResponseEntity<String> refused = changeSettings("{\"mode\":\"SEMI_SYNC\",\"semiSyncAcks\":3}");

        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getHeaders().getContentType()).hasToString("application/problem+json");
        JsonNode problem = ServiceContract.parse(refused.getBody());
        assertThat(problem.path("errors").path(0).path("field").asString()).isEqualTo("semiSyncAcks");
        assertThat(problem.path("detail").asString()).contains("2 slave(s) [replica-2, replica-3]");
        // nothing was changed
        assertThat(replicas.status("replica-1").path("settings").path("mode").asString()).isEqualTo("SYNC");
        // a k that cannot work is refused in another mode too: it would apply as soon as SEMI_SYNC is switched on
        assertThat(changeSettings("{\"semiSyncAcks\":3}").getStatusCode().value()).isEqualTo(400);
        // as many acks as there are slaves works
        assertThat(changeSettings("{\"mode\":\"SEMI_SYNC\",\"semiSyncAcks\":2}").getStatusCode().value())
                .isEqualTo(200);
        replicas.settings("replica-1", "{\"mode\":\"SYNC\",\"semiSyncAcks\":1}");
    }

    @Test
    void aReadWaitingForAnIndexTheMasterNeverGaveIsRefusedAtOnce() {
        replicas.settings("replica-1", "{\"mode\":\"SYNC\",\"syncFailure\":\"REJECT\"}");
        long index = replicas.write("replica-1", "ryw", "1").path("index").asLong();

        ResponseEntity<String> beyond = replicas.node("replica-1").http().get()
                .uri("/kv/ryw?minIndex={i}&waitMs=30000", index + 1000).retrieve().toEntity(String.class);

        assertThat(beyond.getStatusCode().value()).isEqualTo(400);
        assertThat(ServiceContract.parse(beyond.getBody()).path("errors").path(0).path("field").asString())
                .isEqualTo("minIndex");
        assertThat(replicas.node("replica-1").http().get().uri("/kv/ryw?minIndex={i}", index).retrieve()
                .toEntity(String.class).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void anAsyncWriteIsOneTraceFromTheClientThroughKafkaToEachSlave() {
        // given ASYNC, and each slave's Kafka consumer on the log topic
        replicas.awaitKafkaConsumers();
        replicas.settings("replica-1", "{\"mode\":\"ASYNC\"}");

        // when a client that traces its own requests (W3C traceparent, sampled) writes to the master
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String parentId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        ResponseEntity<String> written = replicas.node("replica-1").http().put().uri("/kv/traced")
                .contentType(MediaType.APPLICATION_JSON).header("traceparent", "00-" + traceId + "-" + parentId + "-01")
                .body(Map.of("value", "v")).retrieve().toEntity(String.class);
        assertThat(written.getStatusCode().value()).as("%s", written.getBody()).isEqualTo(200);
        Replicas.await("both slaves have the write").until(() -> "v".equals(replicas.valueOn("replica-2", "traced"))
                && "v".equals(replicas.valueOn("replica-3", "traced")));

        // then Zipkin has it as one trace, the client's: the master's answer, its Kafka send of the entry after the
        // answer, and each slave's Kafka receipt of it (the record carried the traceparent)
        Replicas.await("the write's trace in Zipkin").untilAsserted(() -> assertThat(zipkin.trace(traceId))
                .extracting(span -> span.service() + " " + span.kind())
                .contains("replica-1 SERVER", "replica-1 PRODUCER", "replica-2 CONSUMER", "replica-3 CONSUMER"));
    }

    private JsonNode read(String node, String key) {
        ResponseEntity<String> response = replicas.get(node, key);
        assertThat(response.getStatusCode().value()).as("%s", response.getBody()).isEqualTo(200);
        return ServiceContract.parse(response.getBody());
    }

    private ResponseEntity<String> changeSettings(String json) {
        return replicas.node("replica-1").admin().put().uri("/admin/replication/settings")
                .contentType(MediaType.APPLICATION_JSON).body(json).retrieve().toEntity(String.class);
    }
}
