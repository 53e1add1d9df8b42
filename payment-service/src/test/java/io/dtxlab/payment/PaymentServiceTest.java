package io.dtxlab.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

class PaymentServiceTest {

    // as on a real node, the OpenAPI document is built while the node starts (LabCluster turns that off elsewhere)
    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("payment", PaymentApplication.class)
            .property("springdoc.pre-loading-enabled", "true"));

    @Test
    void servesSwaggerOpenApiHealthInfoAndMetrics() {
        ServiceContract.assertServesTheBasics(cluster.node("payment"), "payment-service", "PAYMENT");
    }

    @Test
    void demoAccountsAreSeededOnFirstStart() {
        var alice = ServiceContract.json(cluster.node("payment"), "/accounts/alice");

        assertThat(alice.path("balance").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(alice.path("held").decimalValue()).isEqualByComparingTo("0");
        assertThat(ServiceContract.json(cluster.node("payment"), "/accounts/bob").path("balance").decimalValue())
                .isEqualByComparingTo("50.00");
    }

    @Test
    void theApiDocumentListsAccountsFirstWithABalanceExample() {
        JsonNode doc = ServiceContract.json(cluster.node("payment"), "/v3/api-docs");

        assertThat(ServiceContract.tagNames(doc)).startsWith("Accounts", "Deposits");
        assertThat(ServiceContract.responseCodes(doc, "GET", "/accounts/{id}")).containsExactly("200", "404", "406", "500");
        assertThat(ServiceContract.examples(doc, "GET", "/accounts/{id}", "200").path("balance").path("value")
                .path("charged").decimalValue()).isEqualByComparingTo("5.00");
        assertThat(ServiceContract.responseCodes(doc, "PUT", "/admin/accounts/{id}"))
                .contains("200", "201", "400", "401", "403", "409", "422");
    }
}
