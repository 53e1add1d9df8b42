package io.dtxlab.cluster.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.coordinator.CoordinatorApplication;
import io.dtxlab.inventory.InventoryApplication;
import io.dtxlab.order.OrderApplication;
import io.dtxlab.payment.PaymentApplication;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

class TwoPhaseCommitHappyPathTest {

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> nodes
            .node("order", OrderApplication.class)
            .node("inventory", InventoryApplication.class)
            .node("payment", PaymentApplication.class)
            .node("coordinator-1", CoordinatorApplication.class));

    @Test
    void anOrderCommitsEverywhereWithFourMessagesPerParticipant() {
        ResponseEntity<String> answer = lab.node("order").http().post().uri("/orders")
                .body(Map.of("customerId", "alice", "sku", "WIDGET", "quantity", 2))
                .retrieve().toEntity(String.class);
        System.out.println(answer.getBody());
        assertThat(answer.getStatusCode().value()).isEqualTo(201);
        JsonNode placed = ServiceContract.parse(answer.getBody());
        assertThat(placed.path("outcome").asString()).isEqualTo("CONFIRMED");
        String xid = placed.path("xid").asString();
        JsonNode tx = ServiceContract.json(lab.node("coordinator-1"), "/transactions/" + xid);
        System.out.println(tx.toPrettyString());
        assertThat(tx.path("messages").asInt()).isEqualTo(12);
        assertThat(ServiceContract.json(lab.node("inventory"), "/stock/WIDGET").path("sold").asInt()).isEqualTo(2);
    }
}
