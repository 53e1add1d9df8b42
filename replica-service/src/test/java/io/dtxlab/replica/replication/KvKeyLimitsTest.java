package io.dtxlab.replica.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.replica.ReplicaApplication;
import io.dtxlab.testsupport.Answer;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * A KV key is 1 to 256 characters of A-Z a-z 0-9 . _ : - (so at most 256 bytes), a quorum key 1 to 200; a longer
 * key, a key with an encoded '/', a value of the wrong JSON type and an answer the client would not accept are each
 * refused with a problem detail, and nothing is written.
 */
class KvKeyLimitsTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes
            .node("replica-1", ReplicaApplication.class)
            .withoutKafka());

    private final LabNode node = cluster.node("replica-1");

    @Test
    void aKeyOfAtMost256CharactersIsWrittenAndALongerOneIsRefusedNamingTheLimit() {
        assertThat(putKv("k".repeat(256), "{\"value\":\"v\"}").status()).isEqualTo(200);

        for (int length : new int[] {257, 10 * 1024}) {
            Answer refused = putKv("k".repeat(length), "{\"value\":\"v\"}");

            Answer.assertInvalid(refused, "key");
            assertThat(refused.body().path("detail").asString()).contains("at most 256 bytes");
        }
        Answer quorum = Answer.put(node.http(), "/quorum/kv/" + "q".repeat(201), "{\"value\":\"v\"}");
        Answer.assertInvalid(quorum, "key");
        assertThat(quorum.body().path("detail").asString()).contains("at most 200 bytes");
    }

    @Test
    void aKeyWithAnEncodedSlashIsRefusedAsAProblemSayingKeysMayNotContainASlash() throws Exception {
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(node.baseUrl() + "/kv/a%2Fb"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"value\":\"v\"}")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = ServiceContract.parse(refused.body());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("title").asString()).isEqualTo("Bad Request");
        assertThat(problem.path("detail").asString()).contains("may not contain '/'");
    }

    @Test
    void aValueThatIsNotAJsonStringIsRefusedAndNothingIsWritten() {
        for (String value : new String[] {"42", "true", "4.2"}) {
            Answer.assertInvalid(putKv("typed", "{\"value\":" + value + "}"), "value");
        }
        assertThat(getKv("typed")).isEqualTo(404);
    }

    @Test
    void aWriteWhoseAnswerTheClientWouldNotAcceptIsRefusedWith406BeforeItIsWritten() {
        Answer refused = Answer.of(node.http().put().uri("/kv/xml").contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_XML).body("{\"value\":\"v\"}").retrieve().toEntity(String.class));

        assertThat(refused.status()).isEqualTo(406);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(getKv("xml")).isEqualTo(404);
    }

    private Answer putKv(String key, String json) {
        return Answer.put(node.http(), "/kv/" + key, json);
    }

    private int getKv(String key) {
        return node.http().get().uri("/kv/" + key).retrieve().toEntity(String.class).getStatusCode().value();
    }
}
