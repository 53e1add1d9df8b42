package io.dtxlab.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OrderServiceTest {

    static LabCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LabCluster.builder().node("order", OrderApplication.class).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

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
