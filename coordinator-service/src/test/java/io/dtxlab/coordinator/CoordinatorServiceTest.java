package io.dtxlab.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
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
    void oneJarServesAnyCoordinatorNodeIdFromConfiguration() {
        var view = ServiceContract.json(cluster.node("coordinator-2"), "/cluster");

        assertThat(view.path("node").asString()).isEqualTo("coordinator-2");
    }
}
