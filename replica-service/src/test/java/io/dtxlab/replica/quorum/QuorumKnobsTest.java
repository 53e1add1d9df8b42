package io.dtxlab.replica.quorum;

import static io.dtxlab.replica.quorum.QuorumHttp.get;
import static io.dtxlab.replica.quorum.QuorumHttp.localValues;
import static io.dtxlab.replica.quorum.QuorumHttp.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.platform.fault.FaultAction;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.messaging.MessageLog;
import io.dtxlab.platform.messaging.MessageRecord;
import io.dtxlab.replica.ReplicaApplication;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** What R and W buy and cost, on three real replicas with N = 3: overlap, staleness, availability. */
class QuorumKnobsTest {

    private static final List<String> REPLICAS = List.of("replica-1", "replica-2", "replica-3");

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes
            .node("replica-1", ReplicaApplication.class)
            .node("replica-2", ReplicaApplication.class)
            .node("replica-3", ReplicaApplication.class)
            // generous on a busy 2-core CI machine; a node that is down refuses at once anyway
            .property("dtx.quorum.request-timeout", "10s")
            .withoutKafka());

    private static LabNode node(String id) {
        return cluster.node(id);
    }

    @Test
    void withRPlusWAboveNEveryReadReturnsTheLastAcknowledgedWriteWithAnyOneNodeDown() {
        String key = "overlap";
        JsonNode context = null;
        for (String down : REPLICAS) {
            List<String> live = REPLICAS.stream().filter(id -> !id.equals(down)).toList();
            // given one node crashed (it comes back later from its files, behind on this key)
            cluster.cluster().crash(down);
            try {
                // when a write is acknowledged with W=2
                String value = "written-while-" + down + "-was-down";
                var write = put(node(live.get(0)), key, value, context, 2);
                assertThat(write.status()).as("%s", write).isEqualTo(200);
                assertThat(write.body().path("acks").size()).isEqualTo(2);

                // then every read with R=2, through any live node, returns it
                for (String coordinator : live) {
                    var read = get(node(coordinator), key, 2);
                    assertThat(read.status()).as("read through %s: %s", coordinator, read).isEqualTo(200);
                    assertThat(read.value()).isEqualTo(value);
                    assertThat(read.body().path("staleReadsPossible").asBoolean()).isFalse();
                    context = read.context();
                }
            } finally {
                cluster.cluster().start(down);
            }
        }
    }

    @Test
    void withROneAndWOneADelayedReplicaAnswersStaleReadsAndReadRepairConvergesIt() {
        String key = "stale";
        LabNode a = node("replica-1");
        LabNode b = node("replica-2");
        var v1 = put(a, key, "v1", null, 3);
        assertThat(v1.status()).isEqualTo(200);

        // given the replication of this key from replica-1 to replica-2 is delayed by 30 s
        a.bean(FaultInjector.class).arm("send:" + ReplicaChannel.PUT, FaultAction.DELAY, Duration.ofSeconds(30), key,
                "replica-2", 1);

        // when v2 is written through replica-1 with W=1: acknowledged by replica-1 alone
        var v2 = put(a, key, "v2", v1.body().path("clock"), 1);
        assertThat(v2.status()).as("%s", v2).isEqualTo(200);
        assertThat(v2.body().path("staleReadsPossible").asBoolean()).isTrue();

        // then a read with R=1 through replica-2, whose asks to the other owners are slow this once, is answered by
        // replica-2's own copy: stale, and it says it may be
        for (String other : List.of("replica-1", "replica-3")) {
            b.bean(FaultInjector.class).arm("send:" + ReplicaChannel.READ, FaultAction.DELAY, Duration.ofSeconds(2),
                    key, other, 1);
        }
        var read = get(b, key, 1);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.value()).isEqualTo("v1");
        assertThat(read.body().path("staleReadsPossible").asBoolean()).isTrue();
        assertThat(read.body().path("warning").asString()).contains("reads may be stale");

        // and read repair (the read's answers from the other owners arrive after it) brings replica-2 up to date
        // long before the delayed replication would
        Awaitility.await("read repair of replica-2").atMost(Duration.ofSeconds(20))
                .until(() -> localValues(b, key).equals(List.of("v2")));
        assertThat(QuorumHttp.stats(b).path("readRepairs").asLong()).isPositive();
        for (String id : REPLICAS) {
            assertThat(localValues(node(id), key)).as("what %s holds", id).containsExactly("v2");
        }
        assertThat(get(b, key, 1).value()).isEqualTo("v2");
    }

    @Test
    void withOneNodeDownWEqualToNFailsWithAProblemDetailAndWTwoSucceeds() {
        String key = "availability";
        cluster.cluster().stop("replica-3");
        try {
            // when W=N=3 is asked for while replica-3 is down (and three replicas leave no stand-in)
            var all = put(node("replica-1"), key, "needs-all-three", null, 3);

            // then the write fails with a problem detail that names the missing replica
            assertThat(all.status()).as("%s", all).isEqualTo(503);
            assertThat(all.body().path("type").asString()).isEqualTo("urn:dtx:problem:quorum-not-reached");
            assertThat(all.body().path("title").asString()).isEqualTo("Write quorum not reached");
            // (a stopped node refuses a new connection, UNREACHABLE, or breaks a pooled one, CONNECTION_LOST)
            assertThat(all.body().path("detail").asString()).contains("needs W=3 replicas but 2 answered")
                    .contains("replica-3=");
            assertThat(all.body().path("failed").path("replica-3").asString()).isIn("UNREACHABLE", "CONNECTION_LOST");

            // and W=2 succeeds
            var two = put(node("replica-1"), key, "two-are-enough", null, 2);
            assertThat(two.status()).as("%s", two).isEqualTo(200);
            assertThat(two.body().path("acks").size()).isEqualTo(2);
        } finally {
            cluster.cluster().start("replica-3");
        }
    }

    @Test
    void aQuorumRequestSendsOneMessageToEachOtherOwnerAndTheCountIsRecorded() {
        String key = "counted";
        LabNode a = node("replica-1");

        var write = put(a, key, "x", null, 3);
        var read = get(a, key, 3);

        // N=3 and the coordinator is an owner: it stores its own copy and sends two messages each time
        assertThat(write.body().path("messages").asInt()).isEqualTo(2);
        assertThat(read.body().path("messages").asInt()).isEqualTo(2);
        List<MessageRecord> sent = a.bean(MessageLog.class).recent(key, 100);
        assertThat(sent).extracting(MessageRecord::kind)
                .containsExactlyInAnyOrder("quorum-put", "quorum-put", "quorum-read", "quorum-read");
        JsonNode stats = QuorumHttp.stats(a);
        assertThat(stats.path("messagesPerRequest").path("write").path("max").asDouble()).isEqualTo(2.0);
        assertThat(stats.path("latency").findValuesAsString("quorum")).contains("W=3", "R=3");
    }
}
