package io.dtxlab.replica.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.platform.fault.FaultAction;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * Master-slave replication on three real replica services (replica-1 is master), real H2 files and a real Kafka
 * broker, failover WAIT. Each test sets the mode it needs on the master and leaves every replica running.
 */
class MasterSlaveReplicationTest {

    @RegisterExtension
    static final LabClusterExtension extension = Replicas.cluster("WAIT");

    private final Replicas replicas = Replicas.of(extension);

    @BeforeEach
    void everyReplicaRunsAndIsInSync() {
        replicas.awaitHealthyWithMaster("replica-1");
    }

    @Test
    void syncWriteIsOnEveryReplicaBeforeItIsAnsweredWithTwoMessagesPerSlave() {
        // given SYNC
        replicas.settings("replica-1", "{\"mode\":\"SYNC\",\"syncFailure\":\"REJECT\"}");

        // when a client writes to the master
        JsonNode receipt = replicas.write("replica-1", "sync-a", "1");

        // then the receipt names every replica, and every replica has the value the moment it is answered
        assertThat(receipt.path("mode").asString()).isEqualTo("SYNC");
        assertThat(receipt.path("degraded").asBoolean()).isFalse();
        assertThat(receipt.path("acknowledgedBy").valueStream().map(JsonNode::asString))
                .containsExactly("replica-1", "replica-2", "replica-3");
        for (String id : Replicas.IDS) {
            assertThat(replicas.valueOn(id, "sync-a")).as("on %s", id).isEqualTo("1");
        }
        // and the master sent n = 2 replicate messages, each answered by an ack: 2n messages
        JsonNode messages = replicas.messages("replica-1", "sync-a");
        assertThat(messages.valueStream().map(m -> m.path("kind").asString() + "->" + m.path("to").asString() + ":"
                + m.path("outcome").asString())).containsExactlyInAnyOrder(
                        "replicate->replica-2:DELIVERED", "replicate->replica-3:DELIVERED");

        // and a write sent to a slave is forwarded to the master, and says so
        JsonNode forwarded = replicas.write("replica-3", "sync-b", "2");
        assertThat(forwarded.path("forwardedBy").asString()).isEqualTo("replica-3");
        assertThat(forwarded.path("master").asString()).isEqualTo("replica-1");
        assertThat(forwarded.path("index").asLong()).isEqualTo(receipt.path("index").asLong() + 1);
    }

    @Test
    void aDeleteIsReplicatedLikeAPutAndBadInputOrTheWrongNodeGetAProblemDetail() {
        // given a key every replica has
        replicas.settings("replica-1", "{\"mode\":\"SYNC\"}");
        replicas.write("replica-1", "to-delete", "1");

        // when a client deletes it through a slave, the master writes a DELETE entry and every replica drops the key
        ResponseEntity<String> deleted = replicas.node("replica-2").http().delete().uri("/kv/to-delete").retrieve().toEntity(String.class);
        assertThat(deleted.getStatusCode().value()).isEqualTo(200);
        JsonNode receipt = ServiceContract.parse(deleted.getBody());
        assertThat(receipt.path("op").asString()).isEqualTo("DELETE");
        assertThat(receipt.path("forwardedBy").asString()).isEqualTo("replica-2");
        for (String id : Replicas.IDS) {
            assertThat(replicas.get(id, "to-delete").getStatusCode().value()).as("on %s", id).isEqualTo(404);
        }

        // and a write without a value, a bad key, or a settings change on a slave are refused with problem details
        ResponseEntity<String> noValue = replicas.node("replica-1").http().put().uri("/kv/k")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body("{}").retrieve().toEntity(String.class);
        assertThat(noValue.getStatusCode().value()).isEqualTo(400);
        assertThat(noValue.getBody()).contains("value");
        assertThat(replicas.put("replica-1", "bad key!", "x").getStatusCode().value()).isEqualTo(400);
        ResponseEntity<String> onSlave = replicas.node("replica-3").admin().put().uri("/admin/replication/settings")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON).body("{\"mode\":\"ASYNC\"}")
                .retrieve().toEntity(String.class);
        assertThat(onSlave.getStatusCode().value()).isEqualTo(409);
        assertThat(ServiceContract.parse(onSlave.getBody()).path("master").asString()).isEqualTo("replica-1");
    }

    @Test
    void syncWithRejectRefusesWritesWhileASlaveIsDownButServesReads() {
        // given SYNC with REJECT and a value everyone has
        replicas.settings("replica-1", "{\"mode\":\"SYNC\",\"syncFailure\":\"REJECT\"}");
        replicas.write("replica-1", "reject-before", "kept");

        // when replica-3 crashes
        replicas.cluster().crash("replica-3");

        // then writes are refused with a 503 problem, and a refused write is undone on the master and the other slave
        ResponseEntity<String> refused = replicas.put("replica-1", "reject-during", "x");
        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        JsonNode problem = ServiceContract.parse(refused.getBody());
        assertThat(problem.path("type").asString()).isEqualTo("urn:dtx:problem:writes-refused");
        assertThat(problem.path("detail").asString()).contains("replica-3").contains("REJECT");
        assertThat(replicas.valueOn("replica-1", "reject-during")).isNull();
        assertThat(replicas.valueOn("replica-2", "reject-during")).isNull();
        assertThat(replicas.put("replica-2", "reject-during", "y").getStatusCode().value()).isEqualTo(503);
        // but reads are served
        assertThat(replicas.valueOn("replica-1", "reject-before")).isEqualTo("kept");
        assertThat(replicas.valueOn("replica-2", "reject-before")).isEqualTo("kept");

        // when replica-3 is back, it catches up and writes are accepted again
        replicas.cluster().restart("replica-3");
        Replicas.await("writes accepted again").until(() -> replicas.put("replica-1", "reject-after", "z").getStatusCode().value() == 200);
        assertThat(replicas.valueOn("replica-3", "reject-after")).isEqualTo("z");
        assertThat(replicas.valueOn("replica-3", "reject-during")).isNull();
        replicas.awaitConverged("replica-1");
    }

    @Test
    void theMasterServesAWriteOnlyOnceItCommitsAndNeverOneItUndoes() {
        // given SYNC with REJECT and a committed value; the master's next write of the key pauses after its local
        // apply, and replica-3 will fail it
        replicas.settings("replica-1", "{\"mode\":\"SYNC\",\"syncFailure\":\"REJECT\"}");
        replicas.write("replica-1", "dirty", "committed");
        long applied = replicas.status("replica-1").path("appliedIndex").asLong();
        replicas.arm("replica-1", ReplicationFaultPoints.AFTER_LOCAL_WRITE, FaultAction.DELAY, 1500, "dirty", 1);
        replicas.arm("replica-3", ReplicationFaultPoints.BEFORE_APPLY, FaultAction.ERROR, 0, null, 1);

        // when a write of the key is under way: in the master's log and data, not yet acknowledged
        CompletableFuture<ResponseEntity<String>> write =
                CompletableFuture.supplyAsync(() -> replicas.put("replica-1", "dirty", "uncommitted"));
        Replicas.await("the write applied on the master").until(
                () -> replicas.status("replica-1").path("appliedIndex").asLong() > applied);

        // then a read on the master answers the committed value, not the write under way (no dirty read)
        assertThat(replicas.valueOn("replica-1", "dirty")).isEqualTo("committed");
        // and once replica-3 failed the write and the master undid it, the value is still the committed one: no read
        // ever saw a value that never was
        assertThat(write.join().getStatusCode().value()).isEqualTo(503);
        assertThat(replicas.valueOn("replica-1", "dirty")).isEqualTo("committed");
    }

    @Test
    void syncWithDegradeGoesOnWithoutTheDownSlaveWhichCatchesUpWhenBack() {
        // given SYNC with DEGRADE
        replicas.settings("replica-1", "{\"mode\":\"SYNC\",\"syncFailure\":\"DEGRADE\"}");

        // when replica-3 crashes, writes still succeed, degraded
        replicas.cluster().crash("replica-3");
        List<JsonNode> receipts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            receipts.add(replicas.write("replica-1", "degrade-" + i, "v" + i));
        }
        for (JsonNode receipt : receipts) {
            assertThat(receipt.path("degraded").asBoolean()).isTrue();
            assertThat(receipt.path("degradedReason").asString()).contains("replica-3");
            assertThat(receipt.path("acknowledgedBy").valueStream().map(JsonNode::asString))
                    .containsExactly("replica-1", "replica-2");
        }

        // when replica-3 is back, it catches up from the log, its data equals the master's, and it counts again
        replicas.cluster().restart("replica-3");
        replicas.awaitHealthyWithMaster("replica-1");
        replicas.awaitConverged("replica-1");
        JsonNode next = replicas.write("replica-1", "degrade-after", "w");
        assertThat(next.path("degraded").asBoolean()).isFalse();
        assertThat(next.path("acknowledgedBy").size()).isEqualTo(3);
        assertThat(replicas.status("replica-3").path("applied").path("catchUp").asLong()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void semiSyncDegradesToAsyncWhenASlaveIsTooSlowAndReturnsOnceItCaughtUp() {
        // given SEMI_SYNC waiting for k=2 acks for at most 300 ms, and replica-3 slow (800 ms) on the next entry
        replicas.awaitKafkaConsumers();
        replicas.settings("replica-1", "{\"mode\":\"SEMI_SYNC\",\"semiSyncAcks\":2,\"semiSyncTimeoutMs\":300}");
        replicas.arm("replica-3", ReplicationFaultPoints.BEFORE_APPLY, FaultAction.DELAY, 800, "semi-slow", 1);

        // when a client writes
        JsonNode slow = replicas.write("replica-1", "semi-slow", "1");

        // then the write succeeds with a receipt that says it was degraded
        assertThat(slow.path("mode").asString()).isEqualTo("SEMI_SYNC");
        assertThat(slow.path("degraded").asBoolean()).isTrue();
        assertThat(slow.path("degradedReason").asString()).contains("1 of k=2");
        assertThat(slow.path("acknowledgedBy").valueStream().map(JsonNode::asString)).containsExactly("replica-1", "replica-2");
        assertThat(slow.path("latencyMs").asLong()).isLessThan(800);
        // and the master runs async meanwhile
        assertThat(replicas.status("replica-1").path("semiSyncDegraded").asString()).contains("1 of k=2");
        JsonNode meanwhile = replicas.write("replica-1", "semi-meanwhile", "2");
        assertThat(meanwhile.path("mode").asString()).isEqualTo("ASYNC");
        assertThat(meanwhile.path("degraded").asBoolean()).isTrue();

        // when replica-3 has caught up, the master is semi-sync again
        Replicas.await("semi-sync restored").until(() -> replicas.status("replica-1").path("semiSyncDegraded").isMissingNode());
        JsonNode after = replicas.write("replica-1", "semi-after", "3");
        assertThat(after.path("mode").asString()).isEqualTo("SEMI_SYNC");
        assertThat(after.path("degraded").asBoolean()).isFalse();
        replicas.awaitConverged("replica-1");
        // and the slow slave's ack did arrive, late
        Replicas.await("replica-3's late ack").until(() -> replicas.messages("replica-1", "semi-slow").valueStream()
                .anyMatch(m -> m.path("to").asString().equals("replica-3") && m.path("outcome").asString().equals("DELIVERED")));
    }

    @Test
    void asyncAnswersBeforeTheSlavesHaveTheWriteTheLagShowsAndAllConverge() {
        // given ASYNC, and both slaves' Kafka consumers slowed down by 700 ms per entry
        replicas.awaitKafkaConsumers();
        replicas.settings("replica-1", "{\"mode\":\"ASYNC\"}");
        for (String slave : List.of("replica-2", "replica-3")) {
            replicas.arm(slave, ReplicationFaultPoints.BEFORE_APPLY_ASYNC, FaultAction.DELAY, 700, null, 3);
        }
        long kafkaBefore = replicas.status("replica-2").path("applied").path("kafka").asLong()
                + replicas.status("replica-3").path("applied").path("kafka").asLong();

        // when a client writes three keys
        List<JsonNode> receipts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            receipts.add(replicas.write("replica-1", "async-" + i, "v" + i));
        }

        // then each is answered by the master alone, before the slaves have it
        for (JsonNode receipt : receipts) {
            assertThat(receipt.path("mode").asString()).isEqualTo("ASYNC");
            assertThat(receipt.path("acknowledgedBy").valueStream().map(JsonNode::asString)).containsExactly("replica-1");
        }
        assertThat(replicas.valueOn("replica-2", "async-2")).isNull();
        // and the lag is observable, in entries and in ms
        Replicas.await("lag visible on replica-3").until(() -> {
            JsonNode status = replicas.status("replica-3");
            return status.path("lagEntries").asLong() > 0 && status.path("lagMs").asLong() > 0;
        });

        // then every replica converges, and the lag goes back to 0
        replicas.awaitConverged("replica-1");
        Replicas.await("no lag").until(() -> replicas.status("replica-2").path("lagEntries").asLong() == 0
                && replicas.status("replica-3").path("lagEntries").asLong() == 0);
        // and each write cost n = 2 messages: one Kafka delivery per slave, no REST message, no ack
        assertThat(replicas.messages("replica-1", "async-0").isEmpty()).isTrue();
        long kafkaAfter = replicas.status("replica-2").path("applied").path("kafka").asLong()
                + replicas.status("replica-3").path("applied").path("kafka").asLong();
        assertThat(kafkaAfter - kafkaBefore).isEqualTo(6);
    }

    @Test
    void aPartitionCutsAsyncEntriesOnTheirWayThroughKafkaAndCatchUpBringsThemAfterItHeals() {
        // given ASYNC, and replica-3 cut off from the master (replica-2 still hears it)
        replicas.awaitKafkaConsumers();
        replicas.settings("replica-1", "{\"mode\":\"ASYNC\"}");
        Counter cut = replicas.node("replica-3").bean(MeterRegistry.class).counter(KafkaLogListener.CUT_METER);
        double cutBefore = cut.count();
        replicas.cluster().partition("replica-3", "replica-1");
        try {
            // when the master takes a write
            replicas.write("replica-1", "cut-a", "1");

            // then replica-2 applies it from Kafka, and replica-3 drops it as it arrives: the broker is not a node,
            // but the entry crosses the cut between its writer and replica-3
            Replicas.await("replica-2 has the write").until(() -> "1".equals(replicas.valueOn("replica-2", "cut-a")));
            Replicas.await("replica-3 dropped the write").until(() -> cut.count() > cutBefore);
            assertThat(replicas.valueOn("replica-3", "cut-a")).isNull();
        } finally {
            replicas.cluster().heal();
        }

        // when the partition heals, catch-up brings it
        replicas.awaitConverged("replica-1");
        assertThat(replicas.valueOn("replica-3", "cut-a")).isEqualTo("1");
    }

    @Test
    void aReadWithTheIndexOfYourWriteWaitsForItOrSaysTheReplicaIsBehind() {
        // given ASYNC, and replica-3's consumer slow (2.5 s) on the next entry
        replicas.awaitKafkaConsumers();
        replicas.settings("replica-1", "{\"mode\":\"ASYNC\"}");
        replicas.arm("replica-3", ReplicationFaultPoints.BEFORE_APPLY_ASYNC, FaultAction.DELAY, 2500, "ryw", 1);
        long index = replicas.write("replica-1", "ryw", "mine").path("index").asLong();

        // when the writer reads from replica-3 with its write's index and a short wait, replica-3 says it is behind
        ResponseEntity<String> behind = replicas.node("replica-3").http().get()
                .uri("/kv/ryw?minIndex={i}&waitMs=100", index).retrieve().toEntity(String.class);
        assertThat(behind.getStatusCode().value()).isEqualTo(503);
        JsonNode problem = ServiceContract.parse(behind.getBody());
        assertThat(problem.path("type").asString()).isEqualTo("urn:dtx:problem:replica-behind");
        assertThat(problem.path("appliedIndex").asLong()).isLessThan(index);
        assertThat(problem.path("master").asString()).isEqualTo("replica-1");

        // when it is willing to wait, replica-3 answers once it has applied the write, and says how fresh it is
        ResponseEntity<String> fresh = replicas.node("replica-3").http().get()
                .uri("/kv/ryw?minIndex={i}&waitMs=10000", index).retrieve().toEntity(String.class);
        assertThat(fresh.getStatusCode().value()).isEqualTo(200);
        JsonNode read = ServiceContract.parse(fresh.getBody());
        assertThat(read.path("value").asString()).isEqualTo("mine");
        assertThat(read.path("node").asString()).isEqualTo("replica-3");
        assertThat(read.path("appliedIndex").asLong()).isGreaterThanOrEqualTo(index);
        assertThat(read.has("lagEntries")).isTrue();
        assertThat(read.has("lagMs")).isTrue();
    }

    @Test
    void waitKeepsTheSlavesReadOnlyUntilTheMasterReturnsAndNothingIsLost() {
        // given writes every replica has
        replicas.settings("replica-1", "{\"mode\":\"SYNC\",\"syncFailure\":\"REJECT\"}");
        replicas.write("replica-1", "wait-before", "kept");

        // when the master crashes
        replicas.cluster().crash("replica-1");
        Replicas.await("replica-2 notices").until(() -> !replicas.status("replica-2").path("masterReachable").asBoolean());

        // then writes are refused and reads are served; nobody is elected
        ResponseEntity<String> refused = replicas.put("replica-2", "wait-during", "x");
        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(refused.getBody()).contains("failover WAIT");
        assertThat(replicas.valueOn("replica-2", "wait-before")).isEqualTo("kept");
        assertThat(replicas.valueOn("replica-3", "wait-before")).isEqualTo("kept");
        assertThat(replicas.status("replica-3").path("role").asString()).isEqualTo("SLAVE");

        // when the master is back, writes are accepted again (through a slave too), and nothing was lost
        replicas.cluster().restart("replica-1");
        Replicas.await("writes accepted again").until(() -> replicas.put("replica-2", "wait-after", "y").getStatusCode().value() == 200);
        assertThat(replicas.status("replica-1").path("epoch").asLong()).isEqualTo(1);
        assertThat(replicas.valueOn("replica-1", "wait-before")).isEqualTo("kept");
        assertThat(replicas.lostWrites("replica-1").path("lostWrites").isEmpty()).isTrue();
        replicas.awaitConverged("replica-1");
    }
}
