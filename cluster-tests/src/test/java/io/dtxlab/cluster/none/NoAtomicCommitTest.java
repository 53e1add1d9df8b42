package io.dtxlab.cluster.none;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * The baseline without atomic commitment ({@code "protocol":"NONE"}): each service applies its part at once, in one
 * local transaction, and nobody undoes anything when another part is refused. It costs 2n messages and no
 * consensus; under a refusal it leaves the half-done order that 2PC and 3PC exist to prevent, and the audit
 * reports it. The happy path runs first: once a half-done order exists, the audit stays inconsistent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NoAtomicCommitTest {

    private static final List<String> PARTICIPANTS = List.of("order", "inventory", "payment");

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 1)
            .property("dtx.coordinator.prepare-timeout", "2s"));

    final Shop shop = new Shop(lab.cluster(), "NONE");

    @AfterEach
    void clearFaults() {
        shop.clearFaults();
    }

    @Test
    @Order(1)
    void happyPathConfirmsWithTwoMessagesPerParticipantAndNoConsensus() {
        // given
        Shop.Stock stockBefore = shop.stock("WIDGET");
        Shop.Funds fundsBefore = shop.funds("alice");

        // when
        Shop.Placed placed = shop.order("alice", "WIDGET", 2);

        // then the order is confirmed, and every part is applied
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        assertThat(placed.body().path("protocol").asString()).isEqualTo("NONE");
        assertThat(placed.body().path("messages").asInt()).isEqualTo(2 * 3);
        assertThat(shop.order(placed.orderId()).path("status").asString()).isEqualTo("CONFIRMED");
        assertThat(shop.stock("WIDGET")).isEqualTo(new Shop.Stock(stockBefore.available() - 2, 0, stockBefore.sold() + 2));
        Shop.Funds funds = shop.funds("alice");
        assertThat(funds.charged()).isEqualByComparingTo(fundsBefore.charged().add(new BigDecimal("5.00")));
        assertThat(funds.total()).isEqualByComparingTo(fundsBefore.total());

        // and the coordinator shows 2n messages (n apply, n answers), no log record and no consensus message
        JsonNode tx = shop.transaction(placed.xid());
        assertThat(tx.path("protocol").asString()).isEqualTo("NONE");
        assertThat(tx.path("state").asString()).isEqualTo("ENDED");
        assertThat(tx.path("decision").asString()).isEqualTo("COMMIT");
        assertThat(tx.path("messages").asInt()).isEqualTo(2 * 3);
        assertThat(tx.path("consensusMessages").asInt()).isZero();
        assertThat(whats(tx)).containsExactlyInAnyOrder("apply", "apply", "apply", "applied", "applied", "applied");
        tx.path("participants").forEach(p -> assertThat(p.path("applied").asBoolean()).as(p.toString()).isTrue());
        for (String participant : PARTICIPANTS) {
            JsonNode branch = shop.branch(participant, placed.xid());
            assertThat(branch.path("state").asString()).isEqualTo("COMMITTED");
            assertThat(branch.path("protocol").asString()).isEqualTo("NONE");
        }

        // and the audit finds nothing wrong and nothing in doubt
        JsonNode audit = shop.audit();
        assertThat(audit.path("consistent").asBoolean()).as(audit.toString()).isTrue();
        assertThat(audit.path("halfDone")).isEmpty();
        assertThat(audit.path("inDoubt").properties()).hasSize(3)
                .allSatisfy(e -> assertThat(e.getValue().asLong()).isZero());
    }

    @Test
    @Order(2)
    void aRefusedPartLeavesTheOthersAppliedAndTheAuditReportsTheHalfDoneOrder() {
        // given bob has 50.00, and a gizmo costs 400.00
        Shop.Stock stockBefore = shop.stock("GIZMO");
        Shop.Funds fundsBefore = shop.funds("bob");

        // when bob orders one
        Shop.Placed placed = shop.order("bob", "GIZMO", 1);

        // then the order is rejected, and the reason says what was applied and kept
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(placed.reason()).startsWith("not atomic: order, inventory applied and kept; payment refused: ")
                .contains("insufficient funds of bob");
        JsonNode tx = shop.transaction(placed.xid());
        assertThat(tx.path("decision").asString()).isEqualTo("PARTIAL");
        assertThat(tx.path("messages").asInt()).isEqualTo(2 * 3);
        assertThat(tx.path("consensusMessages").asInt()).isZero();

        // and nothing is undone: the gizmo is sold, the order row is CONFIRMED, yet bob paid nothing
        assertThat(shop.stock("GIZMO")).isEqualTo(new Shop.Stock(stockBefore.available() - 1, 0, stockBefore.sold() + 1));
        assertThat(shop.order(placed.orderId()).path("status").asString()).isEqualTo("CONFIRMED");
        assertThat(shop.funds("bob")).isEqualTo(fundsBefore);
        assertThat(shop.branch("payment", placed.xid()).path("state").asString()).isEqualTo("ABORTED");

        // and the audit reports the half-done order, while each participant on its own is still conserved
        JsonNode audit = shop.audit();
        assertThat(audit.path("consistent").asBoolean()).isFalse();
        JsonNode finding = halfDone(audit, placed.xid());
        assertThat(finding.path("protocol").asString()).isEqualTo("NONE");
        assertThat(finding.path("decision").asString()).isEqualTo("PARTIAL");
        assertThat(finding.path("reason").asString()).isEqualTo(placed.reason());
        assertThat(finding.path("branches").path("order").asString()).isEqualTo("COMMITTED");
        assertThat(finding.path("branches").path("inventory").asString()).isEqualTo("COMMITTED");
        assertThat(finding.path("branches").path("payment").asString()).isEqualTo("ABORTED");
        assertThat(audit.path("invariants")).hasSize(3);
        audit.path("invariants").forEach(p -> assertThat(p.path("holds").asBoolean()).as(p.toString()).isTrue());
        assertThat(audit.path("mixedOutcomes")).isEmpty();
        assertThat(audit.path("unreachable")).isEmpty();
    }

    @Test
    @Order(3)
    void anInjectedRefusalIsNamedInTheReasonAndARepeatedApplyGetsTheSameAnswer() {
        // given inventory is told to refuse once
        shop.arm("inventory", "participant.vote-no", "ERROR", Map.of("times", 1));
        Shop.Stock stockBefore = shop.stock("WIDGET");

        Shop.Placed placed = shop.order("alice", "WIDGET", 1);

        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(placed.reason()).isEqualTo(
                "not atomic: order, payment applied and kept; inventory refused: injected fault at participant.vote-no");
        assertThat(shop.stock("WIDGET")).isEqualTo(stockBefore);

        // when the apply arrives again (a retried begin), then each branch answers as it did: nothing twice
        long epoch = shop.transaction(placed.xid()).path("epoch").asLong();
        assertThat(apply("inventory", placed.xid(), epoch).path("reply").asString()).isEqualTo("VOTE_NO");
        assertThat(apply("payment", placed.xid(), epoch).path("reply").asString()).isEqualTo("ACK");
        assertThat(shop.stock("WIDGET")).isEqualTo(stockBefore);
    }

    @Test
    @Order(4)
    void prometheusShowsLeadershipConsensusAndOrdersByProtocol() {
        shop.order("alice", "WIDGET", 1);

        String coordinator = prometheus(Shop.COORDINATOR);
        assertThat(coordinator).contains("dtx_paxos_leader_changes_total", "dtx_paxos_ballot", "dtx_paxos_leading");
        assertThat(line(coordinator, "dtx_paxos_leading{")).endsWith(" 1.0");
        assertThat(line(coordinator, "dtx_transactions_total{", "protocol=\"NONE\"", "outcome=\"COMMIT\"")).isNotNull();
        assertThat(line(coordinator, "dtx_transactions_total{", "protocol=\"NONE\"", "outcome=\"PARTIAL\"")).isNotNull();
        assertThat(line(coordinator, "dtx_tx_messages_total{", "protocol=\"NONE\"")).isNotNull();
        assertThat(line(coordinator, "dtx_tx_consensus_messages_total{", "protocol=\"NONE\"")).endsWith(" 0.0");
        String order = prometheus("order");
        assertThat(line(order, "dtx_orders_total{", "protocol=\"NONE\"", "outcome=\"CONFIRMED\"")).isNotNull();
        assertThat(line(order, "dtx_orders_total{", "protocol=\"NONE\"", "outcome=\"REJECTED\"")).isNotNull();
    }

    @Test
    @Order(5)
    void anUnknownProtocolIsRefusedBeforeAnythingHappens() {
        ResponseEntity<String> answer = lab.node("order").http().post().uri("/orders")
                .body(Map.of("customerId", "alice", "sku", "WIDGET", "quantity", 1, "protocol", "1PC"))
                .retrieve().toEntity(String.class);

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(answer.getBody()).contains("must be 2PC, 3PC, TCC, SAGA or NONE");
    }

    @Test
    @Order(6)
    void theAuditTakesABenchmarkRunOfAHundredThousandTransactionsAndNoMore() {
        JsonNode audit = ServiceContract.json(lab.node(Shop.COORDINATOR), "/audit?limit=100000");
        assertThat(audit.path("checkedTransactions").asInt()).isPositive();
        assertThat(audit.path("inDoubt").path("payment").asLong()).isZero();

        ResponseEntity<String> tooMany = lab.node(Shop.COORDINATOR).http().get().uri("/audit?limit=100001")
                .retrieve().toEntity(String.class);
        assertThat(tooMany.getStatusCode().value()).isEqualTo(400);
        assertThat(tooMany.getHeaders().getContentType()).hasToString("application/problem+json");
    }

    private static JsonNode apply(String participant, String xid, long epoch) {
        String body = lab.node(participant).internal().post().uri("/internal/branches/" + xid + "/apply")
                .body(Map.of("coordinator", Shop.COORDINATOR, "epoch", epoch, "protocol", "NONE",
                        "payload", Map.of("sku", "WIDGET", "quantity", 1)))
                .retrieve().body(String.class);
        return ServiceContract.parse(body);
    }

    private static String prometheus(String node) {
        return lab.node(node).http().get().uri("/actuator/prometheus").retrieve().body(String.class);
    }

    /** The first sample line that contains every part, or null. */
    private static String line(String scrape, String... parts) {
        return Arrays.stream(scrape.split("\n"))
                .filter(l -> Arrays.stream(parts).allMatch(l::contains))
                .findFirst().orElse(null);
    }

    private static JsonNode halfDone(JsonNode audit, String xid) {
        for (JsonNode f : audit.path("halfDone")) {
            if (f.path("xid").asString().equals(xid)) {
                return f;
            }
        }
        throw new AssertionError("no half-done finding for " + xid + " in " + audit);
    }

    private static List<String> whats(JsonNode tx) {
        List<String> whats = new ArrayList<>();
        tx.path("timeline").forEach(e -> whats.add(e.path("what").asString()));
        return whats;
    }
}
