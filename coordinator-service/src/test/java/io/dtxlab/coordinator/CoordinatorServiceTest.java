package io.dtxlab.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CoordinatorServiceTest {

    static LabCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LabCluster.builder().node("coordinator-2", CoordinatorApplication.class).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void servesSwaggerOpenApiHealthInfoAndMetrics() {
        ServiceContract.assertServesTheBasics(cluster.node("coordinator-2"), "coordinator-service", "COORDINATOR");
    }

    @Test
    void oneJarServesAnyCoordinatorNodeIdFromConfiguration() {
        var view = ServiceContract.json(cluster.node("coordinator-2"), "/cluster");

        assertThat(view.path("node").asString()).isEqualTo("coordinator-2");
    }
}
