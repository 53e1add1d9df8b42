package io.dtxlab.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReplicaServiceTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("replica-3", ReplicaApplication.class));

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
}
