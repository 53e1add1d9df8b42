package io.dtxlab.cluster.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** The order flow as a user drives it over HTTP, and what the participants show. */
final class Shop {

    static final String COORDINATOR = "coordinator-1";

    private final LabCluster cluster;

    Shop(LabCluster cluster) {
        this.cluster = cluster;
    }

    /** Places an order; returns the HTTP status and the answer. */
    Placed order(String customer, String sku, int quantity) {
        ResponseEntity<String> answer = cluster.node("order").http().post().uri("/orders")
                .body(Map.of("customerId", customer, "sku", sku, "quantity", quantity, "protocol", "2PC"))
                .retrieve().toEntity(String.class);
        return new Placed(answer.getStatusCode().value(), ServiceContract.parse(answer.getBody()));
    }

    record Placed(int status, JsonNode body) {
        String outcome() {
            return body.path("outcome").asString();
        }

        String xid() {
            return body.path("xid").asString();
        }

        String orderId() {
            return body.path("orderId").asString();
        }

        String reason() {
            return body.path("reason").asString();
        }
    }

    Stock stock(String sku) {
        JsonNode s = ServiceContract.json(cluster.node("inventory"), "/stock/" + sku);
        return new Stock(s.path("available").asInt(), s.path("reserved").asInt(), s.path("sold").asInt());
    }

    record Stock(int available, int reserved, int sold) {
        int total() {
            return available + reserved + sold;
        }
    }

    Funds funds(String customer) {
        JsonNode a = ServiceContract.json(cluster.node("payment"), "/accounts/" + customer);
        return new Funds(a.path("balance").decimalValue(), a.path("held").decimalValue(), a.path("charged").decimalValue());
    }

    record Funds(BigDecimal balance, BigDecimal held, BigDecimal charged) {
        BigDecimal total() {
            return balance.add(held).add(charged);
        }
    }

    JsonNode transaction(String xid) {
        return ServiceContract.json(cluster.node(COORDINATOR), "/transactions/" + xid);
    }

    JsonNode order(String orderId) {
        return ServiceContract.json(cluster.node("order"), "/orders/" + orderId);
    }

    JsonNode branch(String participant, String xid) {
        return ServiceContract.json(cluster.node(participant), "/branches/" + xid);
    }

    /** Branches still PREPARED (in doubt) at a participant. */
    int inDoubt(String participant) {
        return ServiceContract.json(cluster.node(participant), "/branches?state=PREPARED").size();
    }

    /** Arms a fault on {@code node} at {@code point}. */
    void arm(String node, String point, String action, Map<String, Object> more) {
        LabNode n = cluster.node(node);
        var rule = new java.util.HashMap<String, Object>(more);
        rule.put("point", point);
        rule.put("action", action);
        ResponseEntity<String> armed = n.admin().post().uri("/admin/faults").body(rule).retrieve().toEntity(String.class);
        assertThat(armed.getStatusCode().is2xxSuccessful()).as("arming %s on %s: %s", point, node, armed.getBody()).isTrue();
    }

    void clearFaults() {
        cluster.nodes().stream().filter(LabNode::isRunning)
                .forEach(n -> n.admin().delete().uri("/admin/faults").retrieve().toBodilessEntity());
    }

    /** Waits until no participant has a branch in doubt. */
    void awaitNoBranchInDoubt() {
        Awaitility.await("no branch in doubt").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(inDoubt("order")).isZero();
            assertThat(inDoubt("inventory")).isZero();
            assertThat(inDoubt("payment")).isZero();
        });
    }
}
