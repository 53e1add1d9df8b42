package io.dtxlab.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class InventoryServiceTest {

    // as on a real node, the OpenAPI document is built while the node starts (LabCluster turns that off elsewhere)
    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("inventory", InventoryApplication.class)
            .property("springdoc.pre-loading-enabled", "true"));

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

    @Test
    void theApiDocumentListsStockFirstAndWhatStockingAnswers() {
        JsonNode doc = ServiceContract.json(cluster.node("inventory"), "/v3/api-docs");

        assertThat(ServiceContract.tagNames(doc)).startsWith("Stock", "Stocking");
        assertThat(ServiceContract.responseCodes(doc, "GET", "/stock/{sku}")).containsExactly("200", "404", "406", "500");
        assertThat(ServiceContract.examples(doc, "GET", "/stock/{sku}", "200").path("stock").path("value")
                .path("available").asInt()).isEqualTo(198);
        assertThat(ServiceContract.responseCodes(doc, "PUT", "/admin/stock/{sku}"))
                .contains("200", "201", "400", "401", "403", "409", "422");
        // a participant's internal message: the refusals of the protocol, and the partition every node applies
        assertThat(ServiceContract.responseCodes(doc, "POST", "/internal/branches/{xid}/prepare"))
                .contains("200", "409", "503");
    }
}
