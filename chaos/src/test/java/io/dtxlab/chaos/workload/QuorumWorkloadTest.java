package io.dtxlab.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.dtxlab.bench.Http;
import io.dtxlab.chaos.check.QuorumChecker;
import io.dtxlab.chaos.history.HistoryRecorder;
import io.dtxlab.chaos.history.Operation;
import io.dtxlab.chaos.workload.FakeCluster.Reply;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dynamo quorums: reads, blind writes and read-then-writes, as QuorumChecker reads them. */
class QuorumWorkloadTest {

    private static final String K = "k";

    private final FakeCluster cluster = new FakeCluster("replica-1", "replica-2", "replica-3");
    private final Http http = FakeCluster.http(Duration.ofSeconds(2));
    private final HistoryRecorder history = new HistoryRecorder(new StringWriter(), System::nanoTime);
    private final QuorumWorkload quorum = new QuorumWorkload(cluster.targets(), http, 9);

    @AfterEach
    void close() {
        http.close();
        cluster.close();
    }

    @Test
    void readsAreOkWithTheAnswerOrNullForNoVersionAndInfoOtherwise() {
        read(Reply.json(300, Map.of("siblings", List.of(version("c1-1"), version("c2-1")), "n", 3, "r", 2)));
        read(Reply.problem(404, "urn:dtx:problem:http-404", Map.of()));
        read(new Reply(404, Map.of("detail", "no version of key 'k' on the R=2 replica(s) that answered [..]")));
        read(Reply.problem(503, "urn:dtx:problem:quorum-not-reached", Map.of()));

        List<Operation> ops = history.history().operations();
        assertThat(ops.get(0).ok()).isTrue();
        assertThat(ops.get(0).response().path("siblings")).hasSize(2);
        assertThat(ops.get(1).unknown()).as("a 404 that is not the service's no-version").isTrue();
        assertThat(ops.get(2).ok()).isTrue();
        assertThat(ops.get(2).response()).isEqualTo(NullNode.getInstance());
        assertThat(ops.get(3).unknown()).isTrue();
    }

    @Test
    void aWriteNotRolledBackIsInfoAndARefusalBeforeWritingIsAFail() {
        blindWrite(Reply.json(200, Map.of("dot", Map.of("node", "replica-1", "counter", 1), "n", 3, "w", 2)), "v1");
        blindWrite(Reply.problem(503, "urn:dtx:problem:quorum-not-reached", Map.of("answered", List.of())), "v2");
        blindWrite(Reply.problem(504, "urn:dtx:problem:quorum-not-reached", Map.of()), "v3");
        blindWrite(Reply.problem(503, QuorumWorkload.TOO_FEW_REPLICAS, Map.of()), "v4");
        blindWrite(Reply.problem(400, "urn:dtx:problem:validation", Map.of()), "v5");

        List<Operation> ops = history.history().operations();
        assertThat(ops).extracting(op -> op.ok() ? "ok" : op.failed() ? "fail" : "info")
                .containsExactly("ok", "info", "info", "fail", "fail");
        assertThat(ops.get(0).request().path("value").asText()).isEqualTo("v1");
        assertThat(ops.get(0).request().has("context")).isFalse();
    }

    @Test
    void aReadThenWriteIsOneWriteInvokedBeforeItsReadAndSendsTheReadsContext() {
        cluster.on("replica-2", "GET", "/quorum/kv/" + K, Reply.json(200, Map.of("siblings", List.of(version("c1-1")),
                "context", Map.of("replica-1", 1), "staleReadsPossible", false)));
        cluster.on("replica-2", "PUT", "/quorum/kv/" + K, Reply.json(200, Map.of("dot", Map.of("node", "replica-2",
                "counter", 1), "n", 3, "w", 2)));

        quorum.readThenWrite("c1", history, "replica-2", K, "c1-2");

        Operation op = history.history().operations().get(0);
        assertThat(op.f()).isEqualTo("write");
        assertThat(op.ok()).isTrue();
        assertThat(op.request().path("value").asText()).isEqualTo("c1-2");
        assertThat(op.request().path("context").isObject()).isTrue();
        JsonNode sent = json(cluster.requests("replica-2", "PUT", "/quorum/kv/" + K).get(0).body());
        assertThat(sent.path("context").path("replica-1").asLong()).isEqualTo(1);
    }

    @Test
    void aReadThenWriteWhoseReadMayBeStaleOrFindsNothingWritesNothing() {
        cluster.on("replica-2", "GET", "/quorum/kv/" + K, Reply.json(200, Map.of("siblings", List.of(version("c1-1")),
                "context", Map.of("replica-1", 1), "staleReadsPossible", true, "warning", "stand-ins answered")));
        quorum.readThenWrite("c1", history, "replica-2", K, "c1-2");
        cluster.on("replica-2", "GET", "/quorum/kv/" + K, new Reply(404, Map.of("detail", "no version of key")));
        quorum.readThenWrite("c1", history, "replica-2", K, "c1-3");

        assertThat(history.history().operations()).allMatch(Operation::failed)
                .extracting(op -> op.completion().error())
                .containsExactly("the read before the write may be stale (stand-ins answered); nothing written",
                        "the read before the write found no version; nothing written");
        assertThat(cluster.requests("replica-2", "PUT", "/quorum/kv/" + K)).isEmpty();
    }

    @Test
    void prepareLearnsTheClustersNrwFromAProbeOfItsOwnKey() {
        cluster.on("replica-1", "PUT", "/quorum/kv/" + probeKey(), Reply.json(200, Map.of("n", 5, "w", 3)));
        cluster.on("replica-1", "GET", "/quorum/kv/" + probeKey(), Reply.json(200, Map.of("n", 5, "r", 3)));

        quorum.prepare();

        assertThat(quorum.keys()).doesNotContain(probeKey());
        assertThat(quorum.nrw()).containsExactly(5, 3, 3);
        assertThat(quorum.checkers(Duration.ZERO)).singleElement().isInstanceOf(QuorumChecker.class);
    }

    private String probeKey() {
        return quorum.keys().get(0).replaceAll("-q1$", "-probe");
    }

    private void read(Reply reply) {
        cluster.on("replica-3", "GET", "/quorum/kv/" + K, reply);
        quorum.read("c1", history, "replica-3", K);
    }

    private void blindWrite(Reply reply, String value) {
        cluster.on("replica-3", "PUT", "/quorum/kv/" + K, reply);
        quorum.blindWrite("c1", history, "replica-3", K, value);
    }

    private static Map<String, Object> version(String value) {
        return Map.of("value", value, "clock", Map.of("replica-1", 1), "dot", Map.of("node", "replica-1", "counter",
                1), "past", Map.of());
    }

    private static JsonNode json(String body) {
        try {
            return Http.json().readTree(body);
        } catch (Exception e) {
            throw new IllegalArgumentException(body, e);
        }
    }
}
