package io.dtxlab.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
import java.time.Duration;
import org.awaitility.Awaitility;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class CoordinatorServiceTest {

    // as on a real node, the OpenAPI document is built while the node starts (LabCluster turns that off elsewhere)
    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("coordinator-2", CoordinatorApplication.class)
            .property("springdoc.pre-loading-enabled", "true"));

    @Test
    void servesSwaggerOpenApiHealthInfoAndMetrics() {
        ServiceContract.assertServesTheBasics(cluster.node("coordinator-2"), "coordinator-service", "COORDINATOR");
    }

    @Test
    void readinessSaysItIsInAQuorumAndNamesItsLeaderForTheAdminOnly() {
        var node = cluster.node("coordinator-2");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                ServiceContract.json(node, "/actuator/health/readiness").path("status").asString()).isEqualTo("UP"));

        var readiness = ServiceContract.parse(node.admin().get().uri("/actuator/health/readiness").retrieve()
                .body(String.class));

        var consensus = readiness.path("components").path("consensus");
        assertThat(consensus.path("status").asString()).isEqualTo("UP");
        assertThat(consensus.path("details").path("leader").asString()).isEqualTo("coordinator-2");
        assertThat(consensus.path("details").path("inQuorum").asBoolean()).isTrue();
        assertThat(ServiceContract.json(node, "/actuator/health/readiness").has("components")).isFalse();
    }

    @Test
    void oneJarServesAnyCoordinatorNodeIdFromConfiguration() {
        var view = ServiceContract.json(cluster.node("coordinator-2"), "/cluster");

        assertThat(view.path("node").asString()).isEqualTo("coordinator-2");
    }

    @Test
    void theApiDocumentListsTransactionsFirstAndTheFollowersAnswer() {
        JsonNode doc = ServiceContract.json(cluster.node("coordinator-2"), "/v3/api-docs");

        assertThat(ServiceContract.tagNames(doc)).startsWith("Transactions");
        assertThat(ServiceContract.responseCodes(doc, "POST", "/internal/transactions"))
                .contains("200", "400", "401", "403", "503");
        assertThat(ServiceContract.examples(doc, "POST", "/internal/transactions", "503").path("notLeader")
                .path("value").path("leader").asString()).isEqualTo("coordinator-2");
        assertThat(ServiceContract.examples(doc, "GET", "/transactions/{xid}", "200").path("committed").path("value")
                .path("decision").asString()).isEqualTo("COMMIT");
        assertThat(ServiceContract.responseCodes(doc, "GET", "/transactions/{xid}")).contains("200", "404");
    }
}
