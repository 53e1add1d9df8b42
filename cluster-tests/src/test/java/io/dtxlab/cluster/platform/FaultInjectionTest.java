package io.dtxlab.cluster.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.inventory.InventoryApplication;
import io.dtxlab.order.OrderApplication;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * Each fault changes what a real HTTP call from order to inventory sees, and clearing it restores the call.
 * The call is order's admin ping, which goes through the shared cluster client like every protocol message.
 */
class FaultInjectionTest {

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> nodes
            .node("order", OrderApplication.class)
            .node("inventory", InventoryApplication.class));

    LabCluster cluster = lab.cluster();
    LabNode order = cluster.node("order");
    LabNode inventory = cluster.node("inventory");

    @AfterEach
    void clearFaults() {
        for (LabNode node : cluster.nodes()) {
            if (node.isRunning()) {
                node.admin().delete().uri("/admin/faults").retrieve().toBodilessEntity();
                node.admin().delete().uri("/admin/partition").retrieve().toBodilessEntity();
            }
        }
    }

    @Test
    void withoutFaultsThePingIsDeliveredAndRecorded() {
        JsonNode result = ok(pingInventory());

        assertThat(result.path("reply").path("node").asString()).isEqualTo("inventory");
        assertThat(result.path("message").path("outcome").asString()).isEqualTo("DELIVERED");
        assertThat(result.path("message").path("from").asString()).isEqualTo("order");
        assertThat(result.path("message").path("kind").asString()).isEqualTo("ping");
    }

    @Test
    void aDelayFaultSlowsTheMessageAndClearingItRestoresIt() {
        arm(order, Map.of("point", "send:ping", "action", "DELAY", "delayMs", 800));

        assertThat(ok(pingInventory()).path("message").path("latencyMs").asLong()).isGreaterThanOrEqualTo(800);

        clear(order);
        assertThat(ok(pingInventory()).path("message").path("latencyMs").asLong()).isLessThan(800);
    }

    @Test
    void anErrorFaultFailsTheMessageWithAProblemDetail() {
        arm(order, Map.of("point", "send:ping", "action", "ERROR"));

        ResponseEntity<String> failed = pingInventory();

        assertThat(failed.getStatusCode().value()).isEqualTo(502);
        assertThat(ServiceContract.parse(failed.getBody()).path("outcome").asString()).isEqualTo("INJECTED_ERROR");
        clear(order);
        ok(pingInventory());
    }

    @Test
    void aDropFaultLosesTheMessageAndTheSenderHearsNothing() {
        arm(order, Map.of("point", "send:ping", "action", "DROP", "peer", "inventory"));

        ResponseEntity<String> lost = pingInventory();

        assertThat(lost.getStatusCode().value()).isEqualTo(504);
        assertThat(ServiceContract.parse(lost.getBody()).path("outcome").asString()).isEqualTo("DROPPED");
        clear(order);
        ok(pingInventory());
    }

    @Test
    void aDroppedReplyMeansThePeerDidTheWorkButTheSenderNeverHeard() {
        arm(order, Map.of("point", "reply:ping", "action", "DROP"));

        assertThat(pingInventory().getStatusCode().value()).isEqualTo(504);
        JsonNode messages = ServiceContract.parse(order.admin().get().uri("/admin/messages?limit=1")
                .retrieve().body(String.class));
        assertThat(messages.get(0).path("outcome").asString()).isEqualTo("DROPPED");
        assertThat(messages.get(0).path("status").asInt()).as("the peer had answered").isEqualTo(200);
    }

    @Test
    void aFaultArmedForNTimesFiresNTimesThenDisarms() {
        arm(order, Map.of("point", "send:ping", "action", "ERROR", "times", 2));

        assertThat(pingInventory().getStatusCode().value()).isEqualTo(502);
        assertThat(pingInventory().getStatusCode().value()).isEqualTo(502);
        ok(pingInventory());
        assertThat(ServiceContract.parse(order.admin().get().uri("/admin/faults").retrieve().body(String.class)))
                .isEmpty();
    }

    @Test
    void aFaultScopedToOneTransactionLeavesOthersAlone() {
        arm(order, Map.of("point", "send:ping", "action", "ERROR", "scope", "tx-42"));

        ok(pingInventory()); // a ping has no transaction id, so it is not tx-42
    }

    @Test
    void aPartitionOnTheReceiverRefusesTheSendersMessagesUntilHealed() {
        ResponseEntity<String> cut = inventory.admin().put().uri("/admin/partition")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("nodes", new String[] {"order"}))
                .retrieve().toEntity(String.class);
        assertThat(cut.getStatusCode().value()).isEqualTo(200);

        ResponseEntity<String> refused = pingInventory();

        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(ServiceContract.parse(refused.getBody()).path("outcome").asString()).isEqualTo("PARTITIONED");
        inventory.admin().delete().uri("/admin/partition").retrieve().toBodilessEntity();
        ok(pingInventory());
    }

    @Test
    void aPartitionOnTheSenderStopsTheMessageBeforeItLeaves() {
        cluster.partition("order", "inventory");

        assertThat(pingInventory().getStatusCode().value()).isEqualTo(503);
        JsonNode peers = ServiceContract.json(order, "/peers");
        assertThat(peers.get(0).path("reachable").asBoolean()).isFalse();
        cluster.heal();
        ok(pingInventory());
    }

    @Test
    void aFaultAtAnUnknownPointOrWithoutAnActionIsRejectedNamingTheProblem() {
        ResponseEntity<String> unknown = order.admin().post().uri("/admin/faults").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("point", "no.such.point", "action", "ERROR")).retrieve().toEntity(String.class);
        assertThat(unknown.getStatusCode().value()).isEqualTo(400);
        assertThat(unknown.getBody()).contains("no.such.point");

        ResponseEntity<String> invalid = order.admin().post().uri("/admin/faults").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("point", "send:ping")).retrieve().toEntity(String.class);
        assertThat(invalid.getStatusCode().value()).isEqualTo(400);
        JsonNode error = ServiceContract.parse(invalid.getBody()).path("errors").get(0);
        assertThat(error.path("field").asString()).isEqualTo("action");
        assertThat(error.path("rule").asString()).isEqualTo("NotNull");
    }

    @Test
    void aCrashFaultStopsTheNodeAbruptlyAndItRestartsFromItsFiles() {
        long before = ServiceContract.json(order, "/actuator/info").path("node").path("incarnation").asLong();
        arm(order, Map.of("point", "send:ping", "action", "CRASH"));

        cluster.awaitCrash("order", this::pingInventory); // the order node dies at the fault point

        cluster.start("order");
        assertThat(ServiceContract.json(order, "/actuator/info").path("node").path("incarnation").asLong())
                .isEqualTo(before + 1);
        assertThat(ServiceContract.parse(order.admin().get().uri("/admin/faults").retrieve().body(String.class)))
                .as("armed faults live in memory and die with the node").isEmpty();
    }

    private ResponseEntity<String> pingInventory() {
        return order.admin().post().uri("/admin/ping/inventory").retrieve().toEntity(String.class);
    }

    private static JsonNode ok(ResponseEntity<String> response) {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return ServiceContract.parse(response.getBody());
    }

    private static void arm(LabNode node, Map<String, Object> rule) {
        ResponseEntity<String> armed = node.admin().post().uri("/admin/faults").contentType(MediaType.APPLICATION_JSON)
                .body(rule).retrieve().toEntity(String.class);
        assertThat(armed.getStatusCode().value()).as(armed.getBody()).isEqualTo(201);
    }

    private static void clear(LabNode node) {
        node.admin().delete().uri("/admin/faults").retrieve().toBodilessEntity();
    }
}
