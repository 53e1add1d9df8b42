package io.dtxlab.cluster.twopc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** Two-phase commit across order, inventory and payment, each a real service with its own H2 file. */
class TwoPhaseCommitTest {

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 1)
            .property("dtx.coordinator.prepare-timeout", "2s"));

    final Shop shop = new Shop(lab.cluster());

    @AfterEach
    void clearFaults() {
        shop.clearFaults();
    }

    @Test
    void happyPathConfirmsTheOrderEverywhereWithFourMessagesPerParticipant() {
        // given
        Shop.Stock stockBefore = shop.stock("WIDGET");
        Shop.Funds fundsBefore = shop.funds("alice");

        // when
        Shop.Placed placed = shop.order("alice", "WIDGET", 2);

        // then the order is confirmed, and every branch committed
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        assertThat(shop.order(placed.orderId()).path("status").asString()).isEqualTo("CONFIRMED");
        assertThat(shop.stock("WIDGET")).isEqualTo(new Shop.Stock(stockBefore.available() - 2, 0, stockBefore.sold() + 2));
        Shop.Funds funds = shop.funds("alice");
        assertThat(funds.charged()).isEqualByComparingTo(fundsBefore.charged().add(new java.math.BigDecimal("5.00")));
        assertThat(funds.total()).isEqualByComparingTo(fundsBefore.total());

        // and the coordinator shows 4n messages: n prepare, n votes, n commits, n acks
        JsonNode tx = shop.transactionLogged(placed.xid());
        assertThat(tx.path("state").asString()).isEqualTo("ENDED");
        assertThat(tx.path("decision").asString()).isEqualTo("COMMIT");
        assertThat(tx.path("messages").asInt()).isEqualTo(4 * 3);
        assertThat(whats(tx)).containsExactlyInAnyOrder("BEGIN logged", "prepare", "prepare", "prepare",
                "vote YES", "vote YES", "vote YES", "DECISION COMMIT logged", "commit", "commit", "commit",
                "ack", "ack", "ack", "END logged");
        // the decision was logged before any commit left
        assertThat(whats(tx).indexOf("DECISION COMMIT logged")).isLessThan(whats(tx).indexOf("commit"));
        for (String participant : List.of("order", "inventory", "payment")) {
            assertThat(shop.branch(participant, placed.xid()).path("state").asString()).isEqualTo("COMMITTED");
        }
        // money crosses the coordinator as a decimal, never as a double
        assertThat(shop.branch("payment", placed.xid()).path("payload").asString()).contains("\"amount\":5.00");
    }

    @Test
    void insufficientStockMakesInventoryVoteNoAndEveryBranchAborts() {
        // given at most 100 widgets
        Shop.Stock stockBefore = shop.stock("WIDGET");
        Shop.Funds fundsBefore = shop.funds("alice");

        // when alice orders 150 (375.00: she could pay)
        Shop.Placed placed = shop.order("alice", "WIDGET", 150);

        // then the order is rejected with the reason, and nothing changed
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(placed.reason()).contains("inventory voted NO").contains("insufficient stock of WIDGET");
        assertThat(shop.stock("WIDGET")).isEqualTo(stockBefore);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(shop.funds("alice")).isEqualTo(fundsBefore);
            JsonNode order = shop.order(placed.orderId());
            assertThat(order.path("status").asString()).isEqualTo("REJECTED");
            assertThat(order.path("reason").asString()).contains("insufficient stock");
            for (String participant : List.of("order", "inventory", "payment")) {
                assertThat(shop.branch(participant, placed.xid()).path("state").asString()).isEqualTo("ABORTED");
            }
        });
    }

    @Test
    void anInjectedNoVoteAbortsTheTransaction() {
        // given inventory is told to vote NO once
        shop.arm("inventory", "participant.vote-no", "ERROR", Map.of("times", 1));

        Shop.Placed placed = shop.order("alice", "WIDGET", 1);

        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(placed.reason()).isEqualTo("inventory voted NO: injected fault at participant.vote-no");
    }

    @Test
    void prometheusShowsTransactionsPhasesMessagesAndLocks() {
        shop.order("alice", "WIDGET", 1);

        String coordinator = lab.node(Shop.COORDINATOR).http().get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(coordinator).contains("dtx_transactions_total{", "protocol=\"2PC\"", "outcome=\"COMMIT\"")
                .contains("dtx_tx_phase_seconds_count{", "phase=\"voting\"")
                .contains("dtx_tx_messages_total{").contains("dtx_tx_ended_total{").contains("dtx_tx_in_doubt")
                .contains("dtx_tx_awaiting_ack")
                // timers publish histogram buckets, so percentiles can be aggregated across nodes and windows
                .contains("dtx_messages_seconds_bucket{", "kind=\"branch-batch\"", "le=\"0.001\"");
        String inventory = lab.node("inventory").http().get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(inventory).contains("dtx_branch_lock_held_seconds_count{", "decision=\"COMMIT\"")
                .contains("dtx_branches_in_doubt").contains("dtx_branch_messages_total{");
    }

    @Test
    void anUnknownCustomerIsRejectedByPayment() {
        Shop.Placed placed = shop.order("mallory", "WIDGET", 1);

        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(placed.reason()).contains("payment voted NO").contains("unknown customer 'mallory'");
    }

    @Test
    void paymentSilentInPhaseOneTimesOutAbortsAndReleasesTheOtherReservations() {
        // given payment takes 4 s to even look at the prepare: longer than the 2 s prepare timeout
        Shop.Stock stockBefore = shop.stock("WIDGET");
        Shop.Funds fundsBefore = shop.funds("bob");
        shop.arm("payment", "participant.prepare-received", "DELAY", Map.of("delayMs", 4000, "times", 1));

        // when
        Shop.Placed placed = shop.order("bob", "WIDGET", 1);

        // then the prepare timeout fires and the transaction aborts
        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(placed.reason()).contains("payment");
        // and inventory's reservation is released, while payment never holds anything: its late prepare finds the
        // abort already recorded (an empty rollback) and is refused, so no hanging branch is left behind
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(shop.stock("WIDGET")).isEqualTo(stockBefore);
            JsonNode payment = shop.branch("payment", placed.xid());
            assertThat(payment.path("state").asString()).isEqualTo("ABORTED");
            assertThat(payment.path("emptyRollback").asBoolean()).isTrue();
            assertThat(shop.transaction(placed.xid()).path("state").asString()).isEqualTo("ENDED");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> shop.branch("payment", placed.xid()).path("state")
                .asString().equals("ABORTED") && faultFired("payment"));
        assertThat(shop.funds("bob")).isEqualTo(fundsBefore);
        assertThat(shop.inDoubt("payment")).isZero();
    }

    @Test
    void duplicatedAndReorderedPhaseTwoMessagesChangeNothing() {
        // given a committed order
        Shop.Placed placed = shop.order("alice", "GADGET", 1);
        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        Shop.Stock stock = shop.stock("GADGET");
        Shop.Funds funds = shop.funds("alice");
        LabNode inventory = lab.node("inventory");
        long epoch = shop.transaction(placed.xid()).path("epoch").asLong();

        // when the commit arrives again, then it is acknowledged and changes nothing
        ResponseEntity<String> again = send(inventory, placed.xid(), "commit", epoch);
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(ServiceContract.parse(again.getBody()).path("reply").asString()).isEqualTo("ACK");
        // when an abort arrives after the commit, then it is refused and changes nothing
        ResponseEntity<String> contradiction = send(inventory, placed.xid(), "abort", epoch);
        assertThat(contradiction.getStatusCode().value()).isEqualTo(409);
        assertThat(ServiceContract.parse(contradiction.getBody()).path("reply").asString()).isEqualTo("CONFLICT");
        assertThat(shop.stock("GADGET")).isEqualTo(stock);
        assertThat(shop.funds("alice")).isEqualTo(funds);

        // when an abort overtakes its prepare, then the late prepare is refused and nothing is reserved
        String xid = "tx-reordered-" + System.nanoTime();
        assertThat(send(inventory, xid, "abort", epoch).getStatusCode().value()).isEqualTo(200);
        ResponseEntity<String> late = send(inventory, xid, "prepare", epoch);
        assertThat(ServiceContract.parse(late.getBody()).path("reply").asString()).isEqualTo("VOTE_NO");
        assertThat(shop.stock("GADGET")).isEqualTo(stock);

        // when a message carries an older epoch than one already seen, then it is refused as stale
        ResponseEntity<String> stale = send(inventory, "tx-stale-" + System.nanoTime(), "prepare", epoch - 1);
        assertThat(stale.getStatusCode().value()).isEqualTo(409);
        assertThat(ServiceContract.parse(stale.getBody()).path("reply").asString()).isEqualTo("STALE");
        assertThat(shop.stock("GADGET")).isEqualTo(stock);
    }

    @Test
    void stockAndMoneyAreConservedAcrossEveryOutcome() {
        Shop.Stock widgets = shop.stock("WIDGET");
        Shop.Funds bob = shop.funds("bob");
        shop.order("bob", "WIDGET", 1);
        shop.order("bob", "WIDGET", 999);
        shop.order("bob", "GIZMO", 1); // 400.00: more than bob has
        shop.awaitNoBranchInDoubt();
        assertThat(shop.stock("WIDGET").total()).isEqualTo(widgets.total());
        assertThat(shop.funds("bob").total()).isEqualByComparingTo(bob.total());
    }

    @Test
    void aBatchOfBeginsAnswersEachTransactionOnItsOwn() {
        // given two begins in one request: one takes a unit of stock, the other names a participant that does not exist
        shop.awaitLeader();
        shop.stockNew("BATCHED", "1.00", 10);
        String ok = "tx-batch-ok-" + System.nanoTime();
        String unknown = "tx-batch-unknown-" + System.nanoTime();
        Map<String, Object> takes = Map.of("xid", ok, "protocol", "2PC", "branches",
                List.of(Map.of("participant", "inventory", "payload", Map.of("sku", "BATCHED", "quantity", 1))));
        Map<String, Object> nowhere = Map.of("xid", unknown, "protocol", "2PC", "branches",
                List.of(Map.of("participant", "nobody", "payload", Map.of())));

        // when the coordinator gets them in one batch
        ResponseEntity<String> answered = lab.node(Shop.COORDINATOR).internal().post()
                .uri("/internal/transactions/batch").body(Map.of("transactions", List.of(takes, nowhere)))
                .retrieve().toEntity(String.class);

        // then each has its own answer, in order: the first committed, the second failed alone
        assertThat(answered.getStatusCode().value()).isEqualTo(200);
        JsonNode answers = ServiceContract.parse(answered.getBody()).path("answers");
        assertThat(answers.get(0).path("xid").asString()).isEqualTo(ok);
        assertThat(answers.get(0).path("decision").asString()).isEqualTo("COMMIT");
        assertThat(answers.get(1).path("xid").asString()).isEqualTo(unknown);
        assertThat(answers.get(1).path("failure").asString()).contains("unknown participant 'nobody'");
        shop.awaitNoBranchInDoubt();
        assertThat(shop.stock("BATCHED")).isEqualTo(new Shop.Stock(9, 0, 1));

        // and an empty batch is refused before anything happens
        ResponseEntity<String> empty = lab.node(Shop.COORDINATOR).internal().post()
                .uri("/internal/transactions/batch").body(Map.of("transactions", List.of()))
                .retrieve().toEntity(String.class);
        assertThat(empty.getStatusCode().value()).isEqualTo(400);
        assertThat(empty.getHeaders().getContentType()).hasToString("application/problem+json");
    }

    @Test
    void aSlowTransactionDoesNotHoldBackTheOrdersPlacedBehindIt() throws Exception {
        // given payment sits 5 s on the first decision it receives, so that order is answered only when the
        // coordinator's answer-within (2 s) runs out
        shop.arm("payment", "participant.decision-received", "DELAY", Map.of("delayMs", 5000, "times", 1));
        CompletableFuture<Shop.Placed> slow = CompletableFuture.supplyAsync(() -> shop.order("alice", "WIDGET", 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> faultFired("payment"));

        // when another order arrives while the slow one waits for its answer
        Shop.Placed next = shop.order("bob", "GADGET", 1);

        // then it is answered first: the order service's begin request for the slow one held the lane to the
        // coordinator for at most dtx.orders.begin-hold, and the next begin left without waiting for its answer
        assertThat(next.outcome()).isEqualTo("CONFIRMED");
        assertThat(slow).isNotDone();
        assertThat(slow.get(30, TimeUnit.SECONDS).outcome()).isEqualTo("CONFIRMED");
    }

    private static ResponseEntity<String> send(LabNode participant, String xid, String kind, long epoch) {
        return participant.internal().post().uri("/internal/branches/" + xid + "/" + kind)
                .body(Map.of("coordinator", Shop.COORDINATOR, "epoch", epoch, "protocol", "2PC",
                        "payload", Map.of("sku", "GADGET", "quantity", 1)))
                .retrieve().toEntity(String.class);
    }

    private static boolean faultFired(String node) {
        JsonNode armed = ServiceContract.parse(lab.node(node).admin().get().uri("/admin/faults").retrieve().body(String.class));
        return armed.isEmpty(); // a rule with times=1 is cleared once it fired
    }

    /**
     * What the timeline says, for the run that finished the transaction. On a starved machine the coordinator's lease
     * can lapse between the begin and its BEGIN record (seen once in CI: the test JVM stood still for 1.8 s); the run
     * is then "left to the next leader", the order service begins the same xid again, and the first run's entries stay
     * in the timeline ahead of the second's.
     */
    private static List<String> whats(JsonNode tx) {
        List<String> whats = new ArrayList<>();
        tx.path("timeline").forEach(e -> whats.add(e.path("what").asString()));
        int left = whats.lastIndexOf("left to the next leader");
        return left < 0 ? whats : new ArrayList<>(whats.subList(left + 1, whats.size()));
    }
}
