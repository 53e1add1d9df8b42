package io.dtxlab.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class ReplicaServiceTest {

    // as on a real node, the OpenAPI document is built while the node starts (LabCluster turns that off elsewhere)
    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("replica-3", ReplicaApplication.class)
            .property("springdoc.pre-loading-enabled", "true"));

    @Test
    void servesSwaggerOpenApiHealthInfoAndMetrics() {
        ServiceContract.assertServesTheBasics(cluster.node("replica-3"), "replica-service", "REPLICA");
    }

    @Test
    void readinessReportsTheReplicationRoleAndKafkaForTheAdmin() {
        var node = cluster.node("replica-3");

        var readiness = ServiceContract.parse(node.admin().get().uri("/actuator/health/readiness").retrieve()
                .body(String.class));

        assertThat(readiness.path("status").asString()).isEqualTo("UP");
        var replication = readiness.path("components").path("replication").path("details");
        assertThat(replication.path("role").asString()).isIn("MASTER", "SLAVE");
        assertThat(replication.has("appliedIndex")).isTrue();
        assertThat(readiness.path("components").path("kafka").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void oneJarServesAnyReplicaNodeIdFromConfiguration() {
        var status = ServiceContract.json(cluster.node("replica-3"), "/replication/status");

        assertThat(status.path("node").asString()).isEqualTo("replica-3");
    }

    @Test
    void theApiDocumentListsTheKeyValueStoreFirstAndQuorumSiblingsAs300() {
        JsonNode doc = ServiceContract.json(cluster.node("replica-3"), "/v3/api-docs");

        assertThat(ServiceContract.tagNames(doc)).startsWith("Key-value store");
        assertThat(ServiceContract.responseCodes(doc, "GET", "/quorum/kv/{key}"))
                .contains("200", "300", "400", "404", "503", "504");
        assertThat(ServiceContract.examples(doc, "GET", "/quorum/kv/{key}", "300").path("siblings").path("value")
                .path("siblings").size()).isEqualTo(2);
        assertThat(ServiceContract.responseCodes(doc, "GET", "/kv/{key}")).contains("200", "400", "404", "503");
        assertThat(ServiceContract.responseCodes(doc, "PUT", "/kv/{key}")).contains("200", "400", "409", "503");
    }
}
