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
 * What clients of a Dynamo-style store run into with causal contexts, on three real replicas (N = 3): concurrent
 * writes through one node (dotted version vectors keep both), and contexts a client made up.
 */
class CausalContextTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes
            .node("replica-1", ReplicaApplication.class)
            .node("replica-2", ReplicaApplication.class)
            .node("replica-3", ReplicaApplication.class)
            .property("dtx.quorum.request-timeout", "10s")
            .withoutKafka());

    private static LabNode node(int i) {
        return cluster.node("replica-" + i);
    }

    @Test
    void twoWritesOnTopOfOneReadAreSiblingsEvenThroughTheSameNode() {
        String key = "one-node-two-clients";
        assertThat(put(node(1), key, "base", null, 3).status()).isEqualTo(200);
        JsonNode context = get(node(1), key, 3).context();

        // two clients write on top of the same read, both through replica-1
        var a = put(node(1), key, "from-A", context, null);
        var b = put(node(1), key, "from-B", context, null);
        assertThat(a.status()).isEqualTo(200);
        assertThat(b.status()).isEqualTo(200);

        // neither is lost: each has its own dot, and neither's past holds the other's
        var read = get(node(1), key, 3);
        assertThat(read.status()).as("%s", read).isEqualTo(300);
        assertThat(values(read.body())).containsExactlyInAnyOrder("from-A", "from-B");
        assertThat(dots(read.body())).containsExactlyInAnyOrder("replica-1:2", "replica-1:3");

        // the same through two different nodes, as before
        var c = put(node(2), key + "-2", "base", null, 3);
        JsonNode context2 = get(node(2), key + "-2", 3).context();
        put(node(1), key + "-2", "from-A", context2, null);
        put(node(2), key + "-2", "from-B", context2, null);
        assertThat(c.status()).isEqualTo(200);
        assertThat(values(get(node(3), key + "-2", 3).body())).containsExactlyInAnyOrder("from-A", "from-B");

        // a write with the read's context resolves them
        var resolved = put(node(1), key, "merged", read.context(), 3);
        assertThat(resolved.status()).isEqualTo(200);
        assertThat(get(node(2), key, 3).value()).isEqualTo("merged");
    }

    @Test
    void aWriteNeverDropsAVersionItsContextHasNotSeen() {
        String key = "write-answer-context";
        put(node(1), key, "base", null, 3);
        JsonNode context = get(node(1), key, 3).context();
        var a = put(node(1), key, "from-A", context, 3);
        var b = put(node(1), key, "from-B", context, 3);

        // B writes again with the context of its own write answer: it has not seen A, so A stays. (B's first write
        // stays too: a context that held B's dot, replica-1:3, would also claim A's, replica-1:2.)
        var again = put(node(1), key, "from-B-again", b.body().path("context"), 3);
        assertThat(again.status()).isEqualTo(200);
        assertThat(values(get(node(3), key, 3).body())).contains("from-A", "from-B-again");

        // a client that writes without any context drops nothing either, through the node that wrote before
        assertThat(a.body().path("context").path("replica-1").asLong()).isEqualTo(2);
        put(node(1), key, "blind", null, 3);
        assertThat(values(get(node(2), key, 3).body())).contains("from-A", "from-B-again", "blind");
    }

    @Test
    void aContextClaimingAWriteTheNodeNeverGaveIsRefusedAndTheKeyStaysWritable() {
        String key = "poisoned";
        put(node(1), key, "base", null, 3);

        var forged = put(node(1), key, "x", ServiceContract.parse("{\"replica-1\":9223372036854775806}"), null);

        assertThat(forged.status()).isEqualTo(400);
        assertThat(forged.body().path("errors").path(0).path("field").asString()).isEqualTo("context.replica-1");
        assertThat(localValues(node(1), key)).as("nothing written").containsExactly("base");
        JsonNode context = get(node(1), key, 3).context();
        assertThat(put(node(1), key, "with context", context, 3).status()).isEqualTo(200);
        assertThat(put(node(1), key, "without context", null, 3).status()).isEqualTo(200);
    }

    @Test
    void contextEntriesMustNameAReplicaAndHoldACounterInRange() {
        for (String forged : List.of("{\"replica-9\":1}", "{\"replica-2\":-1}", "{\"replica-2\":4611686018427387905}")) {
            var answer = put(node(1), "bad-context", "x", ServiceContract.parse(forged), null);
            assertThat(answer.status()).as(forged).isEqualTo(400);
            assertThat(answer.body().path("errors").path(0).path("field").asString()).as(forged)
                    .startsWith("context.replica-");
        }
        assertThat(get(node(1), "bad-context", 3).status()).as("nothing written").isEqualTo(404);
    }

    @Test
    void aCounterClaimedForAnotherNodeCannotSwallowThatNodesLaterWrites() {
        String key = "claimed-for-another";
        // replica-1 cannot know cheaply what replica-2 gave this key: the claim is within the bound, so it is taken
        assertThat(put(node(1), key, "claims", ServiceContract.parse("{\"replica-2\":1000}"), 3).status())
                .isEqualTo(200);

        // replica-2 holds that version, so it gives its next writes dots above the claim, with or without a context
        var blind = put(node(2), key, "blind through replica-2", null, 3);
        assertThat(blind.status()).isEqualTo(200);
        assertThat(blind.body().path("dot").path("counter").asLong()).isGreaterThan(1000);
        assertThat(values(get(node(3), key, 3).body())).containsExactlyInAnyOrder("claims", "blind through replica-2");
        JsonNode context = get(node(3), key, 3).context();
        assertThat(put(node(2), key, "resolved", context, 3).status()).isEqualTo(200);
        assertThat(get(node(1), key, 3).value()).isEqualTo("resolved");
    }

    private static List<String> values(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("siblings").forEach(s -> out.add(s.path("value").asString()));
        return out;
    }

    private static List<String> dots(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.path("siblings").forEach(s -> out.add(s.path("dot").path("node").asString() + ":"
                + s.path("dot").path("counter").asLong()));
        return out;
    }
}
