package io.dtxlab.replica.quorum;

import static io.dtxlab.replica.quorum.QuorumHttp.get;
import static io.dtxlab.replica.quorum.QuorumHttp.local;
import static io.dtxlab.replica.quorum.QuorumHttp.localValues;
import static io.dtxlab.replica.quorum.QuorumHttp.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.replica.ReplicaApplication;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Sloppy quorum and hinted handoff on four real replicas with N = 3: every key has three owners and one stand-in.
 */
class HintedHandoffTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes
            .node("replica-1", ReplicaApplication.class)
            .node("replica-2", ReplicaApplication.class)
            .node("replica-3", ReplicaApplication.class)
            .node("replica-4", ReplicaApplication.class)
            .property("dtx.quorum.hint-delivery-interval", "200ms")
            // generous on a busy 2-core CI machine; a node that is down refuses at once anyway
            .property("dtx.quorum.request-timeout", "10s")
            .withoutKafka());

    @Test
    void aStandInHoldsTheWritesOfADownOwnerAndHandsThemBackWhenItReturns() {
        String key = "handoff";
        JsonNode ring = QuorumHttp.ring(cluster.node("replica-1"), key).path("key");
        String coordinator = ring.path("preferenceList").get(0).asString();
        String owner = ring.path("preferenceList").get(2).asString();
        String standIn = ring.path("standIns").get(0).asString();

        // given an owner of the key is down
        cluster.cluster().stop(owner);
        try {
            // when two writes are made with W=3
            var first = put(cluster.node(coordinator), key, "first", null, 3);
            assertThat(first.status()).as("%s", first).isEqualTo(200);
            var second = put(cluster.node(coordinator), key, "second", first.body().path("clock"), 3);
            assertThat(second.status()).as("%s", second).isEqualTo(200);

            // then the next node on the ring stood in, and the answer says so
            assertThat(second.body().path("standIns")).hasSize(1);
            assertThat(second.body().path("standIns").get(0).path("node").asString()).isEqualTo(standIn);
            assertThat(second.body().path("standIns").get(0).path("owner").asString()).isEqualTo(owner);
            // a stopped node refuses a new connection (UNREACHABLE) or breaks a pooled one (CONNECTION_LOST)
            assertThat(second.body().path("failed").path(owner).asString()).isIn("UNREACHABLE", "CONNECTION_LOST");

            // and the stand-in keeps the writes as hints for the owner, apart from its own data
            JsonNode held = local(cluster.node(standIn), key);
            assertThat(held.path("versions")).isEmpty();
            assertThat(held.path("hints")).hasSize(2);
            assertThat(held.path("hints").get(0).path("owner").asString()).isEqualTo(owner);
            assertThat(QuorumHttp.stats(cluster.node(standIn)).path("hintsPending").asLong()).isEqualTo(2);

            // and a read with R=3 while the owner is down counts the stand-in's hints as the owner's answer
            var read = get(cluster.node(coordinator), key, 3);
            assertThat(read.status()).as("%s", read).isEqualTo(200);
            assertThat(read.value()).isEqualTo("second");
            assertThat(read.body().path("standIns").get(0).path("node").asString()).isEqualTo(standIn);
        } finally {
            // when the owner is back
            cluster.cluster().start(owner);
        }

        // then the hints are delivered: the owner has the newest write, and the stand-in holds no hint any more
        LabNode back = cluster.node(owner);
        Awaitility.await("hinted handoff to " + owner).atMost(Duration.ofSeconds(30))
                .until(() -> localValues(back, key).equals(List.of("second")));
        Awaitility.await("hints cleared on " + standIn).atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode stats = QuorumHttp.stats(cluster.node(standIn));
            return stats.path("hintsPending").asLong() == 0 && stats.path("hintsDelivered").asLong() == 2;
        });
        assertThat(local(cluster.node(standIn), key).path("hints")).isEmpty();
        assertThat(get(back, key, 3).value()).isEqualTo("second");
    }

    @Test
    void aNodeThatIsNoOwnerOfTheKeyCoordinatesByMessagingAllNOwners() {
        String key = "coordinated-elsewhere";
        JsonNode ring = QuorumHttp.ring(cluster.node("replica-1"), key).path("key");
        String outsider = ring.path("standIns").get(0).asString();

        // when the one replica that holds no copy of the key coordinates a write and a read
        var write = put(cluster.node(outsider), key, "v", null, 3);
        var read = get(cluster.node(outsider), key, 3);

        // then it sends each of the three owners one message, and keeps nothing itself
        assertThat(write.status()).as("%s", write).isEqualTo(200);
        assertThat(write.body().path("messages").asInt()).isEqualTo(3);
        assertThat(write.body().path("acks").toString()).doesNotContain(outsider);
        assertThat(read.value()).isEqualTo("v");
        assertThat(read.body().path("messages").asInt()).isEqualTo(3);
        assertThat(localValues(cluster.node(outsider), key)).isEmpty();
    }
}
