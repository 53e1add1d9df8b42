package io.dtxlab.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ReplicaServiceTest {

    static LabCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LabCluster.builder().node("replica-3", ReplicaApplication.class).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

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
