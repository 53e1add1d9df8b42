package io.dtxlab.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
import java.time.Duration;
import org.awaitility.Awaitility;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CoordinatorServiceTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("coordinator-2", CoordinatorApplication.class));

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
}
