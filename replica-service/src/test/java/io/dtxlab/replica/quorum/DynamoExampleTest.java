package io.dtxlab.replica.quorum;

import static io.dtxlab.replica.quorum.QuorumHttp.get;
import static io.dtxlab.replica.quorum.QuorumHttp.localValues;
import static io.dtxlab.replica.quorum.QuorumHttp.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.replica.ReplicaApplication;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The Dynamo paper's example, D1..D4 (DeCandia et al., SOSP 2007, §4.4; docs/background.md), step by step, on three
 * real replicas: A = replica-1, B = replica-2, C = replica-3, N = 3. Then what the siblings look like without a
 * context, and how bad knobs are refused.
 */
class DynamoExampleTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes
            .node("replica-1", ReplicaApplication.class)
            .node("replica-2", ReplicaApplication.class)
            .node("replica-3", ReplicaApplication.class)
            // generous on a busy 2-core CI machine; a node that is down refuses at once anyway
            .property("dtx.quorum.request-timeout", "10s")
            .withoutKafka());

    private static LabNode a() {
        return cluster.node("replica-1");
    }

    private static LabNode b() {
        return cluster.node("replica-2");
    }

    private static LabNode c() {
        return cluster.node("replica-3");
    }

    @Test
    void d3AndD4AreSiblingsD2IsNeverReturnedAndAWriteWithTheMergedContextResolvesThem() {
        String key = "dynamo-d";

        // 1. D1 is written through A: (A,1). D2 through A, with D1's context: (A,2) overwrites D1.
        var d1 = put(a(), key, "D1", null, 3);
        assertThat(d1.status()).as("%s", d1).isEqualTo(200);
        assertThat(clock(d1.body().path("clock"))).isEqualTo("replica-1:1");
        var d2 = put(a(), key, "D2", d1.body().path("clock"), 3);
        assertThat(clock(d2.body().path("clock"))).isEqualTo("replica-1:2");

        // 2. D2 reached B and C (W=3: on all three disks); they hold D2 (A,2) and made no version of their own
        assertThat(localValues(b(), key)).containsExactly("D2");
        assertThat(localValues(c(), key)).containsExactly("D2");

        try {
            // 3./4. Under a partition, B writes D3 and C writes D4, each on top of the D2 it reads (R=1, W=1)
            cluster.cluster().partition("replica-2", "replica-1", "replica-3");
            cluster.cluster().partition("replica-3", "replica-1");
            var readAtB = get(b(), key, 1);
            assertThat(readAtB.value()).isEqualTo("D2");
            var d3 = put(b(), key, "D3", readAtB.context(), 1);
            assertThat(d3.status()).as("%s", d3).isEqualTo(200);
            assertThat(clock(d3.body().path("clock"))).isEqualTo("replica-1:2,replica-2:1");
            var d4 = put(c(), key, "D4", get(c(), key, 1).context(), 1);
            assertThat(clock(d4.body().path("clock"))).isEqualTo("replica-1:2,replica-3:1");
        } finally {
            cluster.cluster().heal();
        }

        // 5./6./7. A read with R=3 finds D2 on A, D3 on B and D4 on C: D2 is covered by both and dropped,
        // D3 and D4 conflict and come back as siblings, 300 Multiple Choices
        var read = get(a(), key, 3);
        assertThat(read.status()).as("%s", read).isEqualTo(300);
        assertThat(siblings(read.body())).containsExactly("D3 replica-1:2,replica-2:1", "D4 replica-1:2,replica-3:1");
        assertThat(read.body().path("value").isMissingNode()).isTrue();
        assertThat(clock(read.context())).isEqualTo("replica-1:2,replica-2:1,replica-3:1");

        // The client resolves the conflict: a write with the merged context covers both siblings
        var d5 = put(a(), key, "D5", read.context(), 3);
        assertThat(d5.status()).as("%s", d5).isEqualTo(200);
        assertThat(clock(d5.body().path("clock"))).isEqualTo("replica-1:3,replica-2:1,replica-3:1");
        var resolved = get(a(), key, 3);
        assertThat(resolved.status()).isEqualTo(200);
        assertThat(resolved.value()).isEqualTo("D5");
        for (LabNode replica : cluster.nodes()) {
            assertThat(localValues(replica, key)).as("what %s holds", replica.id()).containsExactly("D5");
        }
    }

    @Test
    void writesWithoutAContextThroughTwoNodesAreKeptAsSiblings() {
        String key = "blind-writes";

        // given two clients that write without reading first, through different coordinators
        assertThat(put(a(), key, "from-a", null, 3).status()).isEqualTo(200);
        assertThat(put(b(), key, "from-b", null, 3).status()).isEqualTo(200);

        // then neither write is lost: a read answers both, as siblings
        var read = get(c(), key, 2);
        assertThat(read.status()).isEqualTo(300);
        assertThat(siblings(read.body())).containsExactly("from-a replica-1:1", "from-b replica-2:1");
        assertThat(QuorumHttp.stats(c()).path("siblings").path("2").asLong()).isPositive();
    }

    @Test
    void rOrWOutsideOneToNIsABadRequestAndRPlusWAtMostNWarnsOfStaleReads() {
        for (String query : List.of("r=0", "r=4")) {
            var answer = a().http().get().uri("/quorum/kv/k?" + query).retrieve().toEntity(String.class);
            assertThat(answer.getStatusCode().value()).isEqualTo(400);
            assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
            assertThat(answer.getBody()).contains(query.equals("r=0") ? "R=0 is less than 1" : "R=4 is more than N=3");
        }
        assertThat(put(a(), "k", "x", null, 0).body().path("detail").asString()).contains("W=0 is less than 1");
        assertThat(put(a(), "k", "x", null, 4).body().path("detail").asString())
                .contains("W=4 is more than N=3: a write cannot wait for more replicas than hold the key");
        assertThat(put(a(), "bad key!", "x", null, null).status()).isEqualTo(400);
        var foreignContext = put(a(), "k", "x", ServiceContract.parse("{\"somebody\":1}"), null);
        assertThat(foreignContext.status()).isEqualTo(400);
        assertThat(foreignContext.body().path("errors").path(0).path("field").asString()).isEqualTo("context.somebody");

        var missing = get(a(), "never-written", 2);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().path("detail").asString()).contains("no version of key 'never-written'");

        var fast = put(a(), "k", "x", null, 1);
        assertThat(fast.status()).isEqualTo(200);
        assertThat(fast.body().path("staleReadsPossible").asBoolean()).isTrue();
        assertThat(fast.body().path("warning").asString()).contains("R + W = 3 is not more than N = 3");
        assertThat(put(a(), "k", "y", fast.body().path("clock"), 2).body().path("staleReadsPossible").asBoolean())
                .isFalse();
    }

    @Test
    void everyNodeComputesTheSamePreferenceListAndAnyNodeCoordinates() {
        List<String> owners = QuorumHttp.preferenceList(a(), "anything");

        assertThat(owners).hasSize(3).doesNotHaveDuplicates();
        assertThat(QuorumHttp.preferenceList(b(), "anything")).isEqualTo(owners);
        assertThat(QuorumHttp.ring(c(), "anything").path("tokens").size()).isEqualTo(3 * 64);
    }

    private static String clock(JsonNode clock) {
        List<String> entries = new ArrayList<>();
        clock.properties().forEach(e -> entries.add(e.getKey() + ":" + e.getValue().asLong()));
        return String.join(",", entries);
    }

    private static List<String> siblings(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("siblings").forEach(s -> out.add(s.path("value").asString() + " " + clock(s.path("clock"))));
        return out;
    }
}
