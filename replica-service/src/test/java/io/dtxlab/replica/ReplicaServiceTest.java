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
    void oneJarServesAnyReplicaNodeIdFromConfiguration() {
        var status = ServiceContract.json(cluster.node("replica-3"), "/replication/status");

        assertThat(status.path("node").asString()).isEqualTo("replica-3");
    }
}
