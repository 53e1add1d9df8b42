package io.dtxlab.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.ServiceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PaymentServiceTest {

    static LabCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LabCluster.builder().node("payment", PaymentApplication.class).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

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
