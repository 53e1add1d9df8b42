package io.dtxlab.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class OrderServiceTest {

    // as on a real node, the OpenAPI document is built while the node starts (LabCluster turns that off elsewhere)
    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("order", OrderApplication.class)
            .property("springdoc.pre-loading-enabled", "true"));

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

    @Test
    void theApiDocumentListsWhatPlacingAnOrderReallyAnswersOrdersFirst() {
        JsonNode doc = ServiceContract.json(cluster.node("order"), "/v3/api-docs");

        assertThat(ServiceContract.tagNames(doc)).startsWith("Orders")
                .endsWith("Cluster messages", "Fault injection", "Node control");
        assertThat(ServiceContract.responseCodes(doc, "POST", "/orders"))
                .containsExactly("201", "202", "400", "406", "409", "413", "415", "422", "500", "502", "503");
        JsonNode placed = ServiceContract.examples(doc, "POST", "/orders", "201");
        assertThat(placed.path("confirmed").path("value").path("outcome").asString()).isEqualTo("CONFIRMED");
        assertThat(placed.path("rejected").path("value").path("reason").asString()).contains("voted NO");
        assertThat(ServiceContract.examples(doc, "POST", "/orders", "400").path("validation").path("value")
                .path("errors").get(0).path("rule").asString()).isEqualTo("Positive");
        assertThat(ServiceContract.responseCodes(doc, "GET", "/orders/{id}")).contains("200", "404");
    }
}
