package io.dtxlab.cluster.shop;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.coordinator.CoordinatorApplication;
import io.dtxlab.inventory.InventoryApplication;
import io.dtxlab.order.OrderApplication;
import io.dtxlab.payment.PaymentApplication;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** The order flow as a user drives it over HTTP (2PC or 3PC), and what the coordinator and participants show. */
public final class Shop {

    public static final String COORDINATOR = "coordinator-1";

    private final LabCluster cluster;
    private final String protocol;

    /** Declares the shop: order, inventory and payment, and {@code coordinators} coordinators (coordinator-1…). */
    public static LabCluster.Builder nodes(LabCluster.Builder builder, int coordinators) {
        builder.node("order", OrderApplication.class)
                .node("inventory", InventoryApplication.class)
                .node("payment", PaymentApplication.class);
        for (int i = 1; i <= coordinators; i++) {
            builder.node("coordinator-" + i, CoordinatorApplication.class);
        }
        return builder;
    }

    public Shop(LabCluster cluster) {
        this(cluster, "2PC");
    }

    /** A shop whose orders run {@code protocol} (2PC or 3PC). */
    public Shop(LabCluster cluster, String protocol) {
        this.cluster = cluster;
        this.protocol = protocol;
    }

    /** Places an order; returns the HTTP status and the answer. */
    public Placed order(String customer, String sku, int quantity) {
        return order(customer, sku, quantity, Map.of());
    }

    /** An order with more fields in its request, e.g. {@code "semanticLock": true}. */
    public Placed order(String customer, String sku, int quantity, Map<String, Object> more) {
        Map<String, Object> request = new java.util.HashMap<>(more);
        request.putAll(Map.of("customerId", customer, "sku", sku, "quantity", quantity, "protocol", protocol));
        ResponseEntity<String> answer = cluster.node("order").http().post().uri("/orders").body(request)
                .retrieve().toEntity(String.class);
        return new Placed(answer.getStatusCode().value(), ServiceContract.parse(answer.getBody()));
    }

    /**
     * Places an order with an {@code Idempotency-Key} header (sent as given, e.g. quoted); returns the raw answer
     * (status, headers such as {@code Idempotent-Replayed}, body).
     */
    public ResponseEntity<String> order(String idempotencyKey, String customer, String sku, int quantity) {
        return cluster.node("order").http().post().uri("/orders").header("Idempotency-Key", idempotencyKey)
                .body(Map.of("customerId", customer, "sku", sku, "quantity", quantity, "protocol", protocol))
                .retrieve().toEntity(String.class);
    }

    public record Placed(int status, JsonNode body) {
        public String outcome() {
            return body.path("outcome").asString();
        }

        public String xid() {
            return body.path("xid").asString();
        }

        public String orderId() {
            return body.path("orderId").asString();
        }

        public String reason() {
            return body.path("reason").asString();
        }
    }

    public Stock stock(String sku) {
        JsonNode s = ServiceContract.json(cluster.node("inventory"), "/stock/" + sku);
        return new Stock(s.path("available").asInt(), s.path("reserved").asInt(), s.path("sold").asInt());
    }

    /** Creates {@code sku} through inventory's admin API, as an operator would, with its ledger entry. */
    public void stockNew(String sku, String unitPrice, int available) {
        ResponseEntity<String> created = cluster.node("inventory").admin().put().uri("/admin/stock/{sku}", sku)
                .contentType(MediaType.APPLICATION_JSON)
                .body("{\"unitPrice\":" + unitPrice + ",\"available\":" + available + "}")
                .retrieve().toEntity(String.class);
        if (created.getStatusCode().value() != 201) {
            throw new IllegalStateException("cannot create " + sku + ": " + created);
        }
    }

    public record Stock(int available, int reserved, int sold) {
        public int total() {
            return available + reserved + sold;
        }
    }

    public Funds funds(String customer) {
        JsonNode a = ServiceContract.json(cluster.node("payment"), "/accounts/" + customer);
        return new Funds(a.path("balance").decimalValue(), a.path("held").decimalValue(), a.path("charged").decimalValue());
    }

    public record Funds(BigDecimal balance, BigDecimal held, BigDecimal charged) {
        public BigDecimal total() {
            return balance.add(held).add(charged);
        }
    }

    public JsonNode transaction(String xid) {
        return transactionOn(COORDINATOR, xid);
    }

    /**
     * The transaction once its END record is logged: the coordinator answers as soon as every participant
     * acknowledged, and logs END after that, off the client's path.
     */
    public JsonNode transactionLogged(String xid) {
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .until(() -> transaction(xid), tx -> tx.path("timeline").toString().contains("END logged"));
    }

    /** The transaction as coordinator {@code coordinator} shows it (from its copy of the log). */
    public JsonNode transactionOn(String coordinator, String xid) {
        return ServiceContract.json(cluster.node(coordinator), "/transactions/" + xid);
    }

    public JsonNode order(String orderId) {
        return ServiceContract.json(cluster.node("order"), "/orders/" + orderId);
    }

    public JsonNode branch(String participant, String xid) {
        return ServiceContract.json(cluster.node(participant), "/branches/" + xid);
    }

    /** Branches still in doubt at a participant (PREPARED; for 3PC also VOTED or PRE_COMMITTED). */
    public int inDoubt(String participant) {
        int n = 0;
        for (String state : new String[] {"PREPARED", "VOTED", "PRE_COMMITTED"}) {
            n += ServiceContract.json(cluster.node(participant), "/branches?state=" + state).size();
        }
        return n;
    }

    /** The coordinator's audit. */
    public JsonNode audit() {
        return cluster.nodes().stream()
                .filter(n -> n.id().startsWith("coordinator-") && n.isRunning())
                .findFirst().map(n -> ServiceContract.json(n, "/audit")).orElseThrow();
    }

    /** Arms a fault on {@code node} at {@code point}. */
    public void arm(String node, String point, String action, Map<String, Object> more) {
        LabNode n = cluster.node(node);
        var rule = new java.util.HashMap<String, Object>(more);
        rule.put("point", point);
        rule.put("action", action);
        ResponseEntity<String> armed = n.admin().post().uri("/admin/faults").body(rule).retrieve().toEntity(String.class);
        assertThat(armed.getStatusCode().is2xxSuccessful()).as("arming %s on %s: %s", point, node, armed.getBody()).isTrue();
    }

    public void clearFaults() {
        cluster.nodes().stream().filter(LabNode::isRunning)
                .forEach(n -> n.admin().delete().uri("/admin/faults").retrieve().toBodilessEntity());
    }

    /**
     * Puts the shop back after a scenario: heals every partition, starts every node that is down (from its files),
     * clears every fault, and waits until no participant has a branch in doubt.
     */
    public void restore() {
        cluster.heal();
        cluster.nodes().stream().filter(n -> !n.isRunning()).map(LabNode::id).toList().forEach(cluster::start);
        clearFaults();
        awaitNoBranchInDoubt();
    }

    /** Waits until some coordinator leads with a valid lease and a complete log, and returns it. */
    public String awaitLeader() {
        return Awaitility.await("a coordinator leads").atMost(Duration.ofSeconds(60)).until(() -> cluster.nodes().stream()
                .filter(n -> n.id().startsWith("coordinator-") && n.isRunning())
                .filter(n -> {
                    JsonNode view = ServiceContract.json(n, "/cluster");
                    return view.path("leaseValid").asBoolean() && view.path("caughtUp").asBoolean();
                })
                .map(LabNode::id).findFirst().orElse(null), leader -> leader != null);
    }

    /** Waits until no participant has a branch in doubt. */
    public void awaitNoBranchInDoubt() {
        Awaitility.await("no branch in doubt").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(inDoubt("order")).isZero();
            assertThat(inDoubt("inventory")).isZero();
            assertThat(inDoubt("payment")).isZero();
        });
    }
}
