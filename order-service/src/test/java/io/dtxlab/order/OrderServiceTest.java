package io.dtxlab.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OrderServiceTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("order", OrderApplication.class));

    @Test
    void servesSwaggerOpenApiHealthInfoAndMetrics() {
        ServiceContract.assertServesTheBasics(cluster.node("order"), "order-service", "ORDER");
    }

    @Test
    void aFreshOrderServiceListsNoOrdersAndRejectsABadLimitNamingTheRule() {
        assertThat(ServiceContract.json(cluster.node("order"), "/orders").isArray()).isTrue();

        var response = cluster.node("order").http().get().uri("/orders?limit=0").retrieve().toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        var error = ServiceContract.parse(response.getBody()).path("errors").get(0);
        assertThat(error.path("field").asString()).isEqualTo("limit");
        assertThat(error.path("rule").asString()).isEqualTo("Min");
    }
}
