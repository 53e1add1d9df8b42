package io.dtxlab.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class InventoryServiceTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("inventory", InventoryApplication.class));

    @Test
    void servesSwaggerOpenApiHealthInfoAndMetrics() {
        ServiceContract.assertServesTheBasics(cluster.node("inventory"), "inventory-service", "INVENTORY");
    }

    @Test
    void demoStockIsSeededOnFirstStart() {
        JsonNode widget = ServiceContract.json(cluster.node("inventory"), "/stock/WIDGET");

        assertThat(widget.path("available").asInt()).isEqualTo(100);
        assertThat(widget.path("reserved").asInt()).isZero();
        assertThat(ServiceContract.json(cluster.node("inventory"), "/stock/GADGET").path("available").asInt()).isEqualTo(10);
    }

    @Test
    void anUnknownSkuIsAProblemDetailNamingIt() {
        var response = cluster.node("inventory").http().get().uri("/stock/NOPE").retrieve().toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(ServiceContract.parse(response.getBody()).path("detail").asString()).contains("NOPE");
    }
}
