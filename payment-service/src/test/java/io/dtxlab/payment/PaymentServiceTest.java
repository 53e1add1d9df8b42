package io.dtxlab.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PaymentServiceTest {

    @RegisterExtension
    static final LabClusterExtension cluster = LabClusterExtension.of(nodes -> nodes.node("payment", PaymentApplication.class));

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
}
