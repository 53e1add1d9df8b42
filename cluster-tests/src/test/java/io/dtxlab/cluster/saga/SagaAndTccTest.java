package io.dtxlab.cluster.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.ServiceContract;
import io.dtxlab.testsupport.LabClusterExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * Eventual consistency beside 2PC: an orchestrated saga ({@code "protocol":"SAGA"}: the steps order, inventory and
 * payment, each a local transaction committed at once, each with a compensation) and TCC ({@code "protocol":"TCC"}:
 * try, confirm, cancel). Each scenario: given this fault at this point, the outcome is that, with the message counts
 * the protocols promise (a saga 2n, or 2k + 2(k-1) when step k fails; TCC 4n).
 */
class SagaAndTccTest {

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 1)
            .property("dtx.coordinator.prepare-timeout", "2s")
            .property("dtx.coordinator.retry-max-backoff", "500ms"));

    final Shop saga = new Shop(lab.cluster(), "SAGA");
    final Shop tcc = new Shop(lab.cluster(), "TCC");

    @AfterEach
    void clearFaults() {
        saga.clearFaults();
    }

    @Test
    void aSagaAppliesEveryStepInOrderWithTwoMessagesPerStep() {
        Shop.Stock stockBefore = saga.stock("WIDGET");
        Shop.Funds fundsBefore = saga.funds("alice");

        Shop.Placed placed = saga.order("alice", "WIDGET", 2);

        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        JsonNode tx = saga.transaction(placed.xid());
        assertThat(tx.path("protocol").asString()).isEqualTo("SAGA");
        assertThat(tx.path("state").asString()).isEqualTo("ENDED");
        assertThat(tx.path("messages").asInt()).as("2n").isEqualTo(2 * 3);
        // one step at a time, in the declared order
        assertThat(messages(tx)).containsExactly("step -> order", "step applied <- order", "step -> inventory",
                "step applied <- inventory", "step -> payment", "step applied <- payment");
        assertThat(saga.stock("WIDGET")).isEqualTo(new Shop.Stock(stockBefore.available() - 2, 0, stockBefore.sold() + 2));
        assertThat(saga.funds("alice").charged()).isEqualByComparingTo(fundsBefore.charged().add(new BigDecimal("5.00")));
        assertThat(saga.order(placed.orderId()).path("status").asString()).isEqualTo("CONFIRMED");
    }

    @Test
    void givenPaymentRefusesInventoryAndOrderAreCompensatedInReverseAndStockAndMoneyRestored() {
        // given bob has 50.00, and a gizmo costs 400.00
        Shop.Stock stockBefore = saga.stock("GIZMO");
        Shop.Funds fundsBefore = saga.funds("bob");

        Shop.Placed placed = saga.order("bob", "GIZMO", 1);

        // then the order is rejected, and what the earlier steps did is undone, last first
        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(placed.reason()).startsWith("payment refused its step: ").contains("insufficient funds");
        JsonNode tx = saga.transaction(placed.xid());
        assertThat(tx.path("state").asString()).isEqualTo("ENDED");
        assertThat(tx.path("decision").asString()).isEqualTo("ABORT");
        assertThat(tx.path("messages").asInt()).as("2k forward + 2(k-1) back, k = 3").isEqualTo(2 * 3 + 2 * 2);
        assertThat(messages(tx)).containsSubsequence("step refused <- payment", "compensate -> inventory",
                "compensated <- inventory", "compensate -> order", "compensated <- order");
        assertThat(messages(tx)).doesNotContain("compensate -> payment");
        assertThat(saga.stock("GIZMO")).isEqualTo(stockBefore);
        assertThat(saga.funds("bob")).isEqualTo(fundsBefore);
        assertThat(saga.branch("inventory", placed.xid()).path("state").asString()).isEqualTo("COMPENSATED");
        assertThat(saga.branch("order", placed.xid()).path("state").asString()).isEqualTo("COMPENSATED");
        assertThat(saga.branch("payment", placed.xid()).path("state").asString()).isEqualTo("ABORTED");
        JsonNode order = saga.order(placed.orderId());
        assertThat(order.path("status").asString()).isEqualTo("REJECTED");
        assertThat(order.path("reason").asString()).startsWith("compensated: ");

        JsonNode audit = saga.audit();
        assertThat(audit.path("consistent").asBoolean()).as(audit.toString()).isTrue();
    }

    @Test
    void aCompensationThatKeepsFailingLeavesTheSagaCompensatingUntilTheFaultClears() {
        // given every compensation sent to order fails
        saga.arm(Shop.COORDINATOR, "send:compensate", "ERROR", Map.of("peer", "order"));
        Shop.Funds fundsBefore = saga.funds("bob");

        Shop.Placed placed = saga.order("bob", "GIZMO", 1);
        String xid = placed.xid();

        // then the saga stays compensating, retrying order's compensation; the audit says so and is not violated
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode tx = saga.transaction(xid);
            assertThat(tx.path("state").asString()).isEqualTo("COMPENSATING");
            assertThat(messages(tx).stream().filter("compensate -> order"::equals).count()).isGreaterThanOrEqualTo(3);
        });
        assertThat(saga.branch("inventory", xid).path("state").asString()).isEqualTo("COMPENSATED");
        assertThat(saga.branch("order", xid).path("state").asString()).isEqualTo("COMMITTED");
        JsonNode audit = saga.audit();
        assertThat(audit.path("compensating")).anySatisfy(f -> assertThat(f.path("xid").asString()).isEqualTo(xid));
        assertThat(audit.path("mixedOutcomes")).isEmpty();
        assertThat(audit.path("againstDecision")).isEmpty();

        // when the fault is cleared, then the next retry succeeds and the saga ends
        saga.clearFaults();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(saga.transaction(xid).path("state").asString()).isEqualTo("ENDED"));
        assertThat(saga.order(placed.orderId()).path("status").asString()).isEqualTo("REJECTED");
        assertThat(saga.funds("bob")).isEqualTo(fundsBefore);
        assertThat(saga.audit().path("compensating")).noneSatisfy(f ->
                assertThat(f.path("xid").asString()).isEqualTo(xid));
    }

    @Test
    void aSagaHasNoIsolationAnotherOrderIsRefusedStockThatASagaGoingBackGivesBackLater() {
        // given the last unit of a SKU, and inventory's compensations held up (they fail until the fault is cleared)
        saga.stockNew("LAST-UNIT", "400.00", 1); // more than bob has (50.00)
        saga.arm(Shop.COORDINATOR, "send:compensate", "ERROR", Map.of("peer", "inventory"));

        // when bob's saga takes it, and then payment refuses his step: the saga goes back, but slowly
        Shop.Placed bobs = saga.order("bob", "LAST-UNIT", 1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(saga.transaction(bobs.xid()).path("state").asString()).isEqualTo("COMPENSATING"));
        // while it goes back, the unit it took is gone for everyone: sold, with nothing reserved or held
        assertThat(saga.stock("LAST-UNIT")).isEqualTo(new Shop.Stock(0, 0, 1));

        // and alice, who can pay, orders it meanwhile
        Shop.Placed alices = saga.order("alice", "LAST-UNIT", 1);

        // then alice is refused for want of stock: she read what a saga that was already undoing itself had done
        assertThat(alices.outcome()).isEqualTo("REJECTED");
        assertThat(alices.reason()).startsWith("inventory refused its step: ").contains("insufficient stock");
        // and once the compensation gets through, the unit is back on the shelf and nobody bought it
        saga.clearFaults();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(saga.transaction(bobs.xid()).path("state").asString()).isEqualTo("ENDED"));
        assertThat(saga.stock("LAST-UNIT")).isEqualTo(new Shop.Stock(1, 0, 0));
        assertThat(saga.order(bobs.orderId()).path("status").asString()).isEqualTo("REJECTED");
        // the books balance: the anomaly is a dirty read (Garcia-Molina and Salem: a saga gives up isolation), not a
        // lost unit, and no checker of atomicity sees it
        JsonNode audit = saga.audit();
        assertThat(audit.path("consistent").asBoolean()).as(audit.toString()).isTrue();
    }

    @Test
    void withSemanticLocksAnotherSagaWaitsForWhatASagaGoingBackHoldsAndGetsIt() {
        // given the last unit of a SKU, and inventory's cancels held up (they fail until the fault is cleared)
        saga.stockNew("LOCKED-UNIT", "400.00", 1); // more than bob has (50.00)
        saga.arm(Shop.COORDINATOR, "send:cancel", "ERROR", Map.of("peer", "inventory"));
        Map<String, Object> locking = Map.of("semanticLock", true);

        // when bob's saga, whose inventory and payment steps take semantic locks, tries the unit: inventory holds it
        // pending; payment refuses; the saga goes back, slowly
        Shop.Placed bobs = saga.order("bob", "LOCKED-UNIT", 1, locking);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(saga.transaction(bobs.xid()).path("state").asString()).isEqualTo("COMPENSATING"));
        // the unit is not sold: it is held, and everyone can see that it may come back
        assertThat(saga.stock("LOCKED-UNIT")).isEqualTo(new Shop.Stock(0, 1, 0));

        // and alice, who can pay, orders it meanwhile, with semantic locks too
        CompletableFuture<Shop.Placed> alices = CompletableFuture.supplyAsync(
                () -> saga.order("alice", "LOCKED-UNIT", 1, locking));

        // then inventory answers her step busy, and her saga tries again instead of being refused
        String alicesXid = await().atMost(Duration.ofSeconds(30)).until(() -> busyAt("inventory", bobs.xid()),
                java.util.Objects::nonNull);
        assertThat(alices).isNotDone();
        // once bob's cancel gets through, the unit is back, and alice's next try gets it
        saga.clearFaults();
        Shop.Placed alice = alices.join();
        assertThat(alice.xid()).isEqualTo(alicesXid);
        assertThat(alice.outcome()).as(alice.body().toString()).isEqualTo("CONFIRMED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(saga.stock("LOCKED-UNIT")).isEqualTo(new Shop.Stock(0, 0, 1)));
        assertThat(saga.order(bobs.orderId()).path("status").asString()).isEqualTo("REJECTED");

        // her saga: 2n, 2 more per locked step (try, then confirm), and 2 per busy answer
        JsonNode tx = saga.transactionLogged(alicesXid);
        List<String> messages = messages(tx);
        long busy = messages.stream().filter(m -> m.startsWith("busy")).count();
        assertThat(busy).isPositive();
        assertThat(messages).filteredOn(m -> m.contains(" -> ")).containsSubsequence("step -> order",
                "try -> inventory", "try -> inventory", "try -> payment", "confirm -> inventory");
        assertThat(messages).hasSize((int) (2 * 3 + 2 * 2 + 2 * busy));
        JsonNode audit = saga.audit();
        assertThat(audit.path("consistent").asBoolean()).as(audit.toString()).isTrue();
    }

    @Test
    void aSemanticLockIsASagasCountermeasureOnlyAndAnyOtherProtocolIsRefused() {
        ResponseEntity<String> answer = lab.cluster().node("order").http().post().uri("/orders")
                .body(Map.of("customerId", "alice", "sku", "WIDGET", "quantity", 1, "protocol", "2PC",
                        "semanticLock", true))
                .retrieve().toEntity(String.class);
        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(answer.getBody()).contains("semanticLock");
    }

    /** The xid of a saga, other than {@code except}, whose step {@code participant} answered busy. */
    private String busyAt(String participant, String except) {
        for (JsonNode t : ServiceContract.json(lab.cluster().node(Shop.COORDINATOR), "/transactions?limit=10")) {
            String xid = t.path("xid").asString();
            if (!xid.equals(except) && messages(saga.transaction(xid)).contains("busy: held by semantic locks <- "
                    + participant)) {
                return xid;
            }
        }
        return null;
    }

    @Test
    void aCompensationThatOvertakesItsStepIsRecordedAndTheLateStepIsRefused() {
        // given inventory's step is held back past the step timeout (2 s)
        saga.arm(Shop.COORDINATOR, "send:step", "DELAY", Map.of("peer", "inventory", "delayMs", 4000, "times", 1));
        Shop.Stock stockBefore = saga.stock("WIDGET");

        Shop.Placed placed = saga.order("alice", "WIDGET", 1);

        // then the saga goes back: inventory gets its compensation first (an empty one), then order's
        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(placed.reason()).contains("inventory's step got no answer");
        JsonNode branch = saga.branch("inventory", placed.xid());
        assertThat(branch.path("state").asString()).isEqualTo("COMPENSATED");
        // and when the step finally arrives (the second request to inventory: the compensation went first), it is
        // refused: nothing is sold that nobody would ever give back
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(requestsAnswered(placed.xid(), "inventory")).isEqualTo(2));
        assertThat(saga.stock("WIDGET")).isEqualTo(stockBefore);
        assertThat(saga.branch("inventory", placed.xid()).path("state").asString()).isEqualTo("COMPENSATED");
    }

    @Test
    void tccTriesThenConfirmsWithFourMessagesPerParticipant() {
        Shop.Stock stockBefore = tcc.stock("WIDGET");

        Shop.Placed placed = tcc.order("alice", "WIDGET", 1);

        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        JsonNode tx = tcc.transaction(placed.xid());
        assertThat(tx.path("protocol").asString()).isEqualTo("TCC");
        assertThat(tx.path("messages").asInt()).as("4n").isEqualTo(4 * 3);
        assertThat(messages(tx)).filteredOn(m -> m.contains(" -> "))
                .containsExactlyInAnyOrder("try -> order", "try -> inventory", "try -> payment",
                        "confirm -> order", "confirm -> inventory", "confirm -> payment");
        assertThat(tcc.stock("WIDGET")).isEqualTo(new Shop.Stock(stockBefore.available() - 1, 0, stockBefore.sold() + 1));
    }

    @Test
    void aFailedTryCancelsEveryBranchAndTheReservationsAreReleased() {
        Shop.Stock stockBefore = tcc.stock("GIZMO");

        Shop.Placed placed = tcc.order("bob", "GIZMO", 1);

        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(messages(tcc.transaction(placed.xid()))).filteredOn(m -> m.startsWith("cancel -> ")).hasSize(3);
        assertThat(tcc.stock("GIZMO")).isEqualTo(stockBefore);
    }

    @Test
    void anEmptyCancelIsRecordedAndTheLateTryIsRefusedSoNoReservationHangs() {
        // given payment's try is held back past the try timeout (2 s)
        tcc.arm(Shop.COORDINATOR, "send:try", "DELAY", Map.of("peer", "payment", "delayMs", 4000, "times", 1));
        Shop.Funds fundsBefore = tcc.funds("alice");

        Shop.Placed placed = tcc.order("alice", "WIDGET", 1);

        // then everyone is cancelled; payment's cancel came before its try: an empty cancel
        assertThat(placed.outcome()).isEqualTo("REJECTED");
        JsonNode payment = tcc.branch("payment", placed.xid());
        assertThat(payment.path("state").asString()).isEqualTo("ABORTED");
        assertThat(payment.path("emptyRollback").asBoolean()).as(payment.toString()).isTrue();
        // and the late try (the second request to payment: the cancel went first) is refused: no funds are held for a
        // transaction that is over
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(requestsAnswered(placed.xid(), "payment")).isEqualTo(2));
        assertThat(tcc.branch("payment", placed.xid()).path("state").asString()).isEqualTo("ABORTED");
        assertThat(tcc.funds("alice")).isEqualTo(fundsBefore);
    }

    @Test
    void aDuplicatedConfirmIsAcknowledgedAndAppliedOnce() {
        // given inventory's first confirm is applied but its answer is lost, so the coordinator confirms again
        tcc.arm(Shop.COORDINATOR, "reply:confirm", "DROP", Map.of("peer", "inventory", "times", 1));
        Shop.Stock stockBefore = tcc.stock("WIDGET");

        Shop.Placed placed = tcc.order("alice", "WIDGET", 1);

        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                messages(tcc.transaction(placed.xid())).stream().filter("confirm -> inventory"::equals).count())
                .isEqualTo(2));
        assertThat(tcc.stock("WIDGET")).isEqualTo(new Shop.Stock(stockBefore.available() - 1, 0, stockBefore.sold() + 1));
    }

    /** The requests about {@code xid} alone that the coordinator sent to {@code participant} and got an answer to. */
    private static long requestsAnswered(String xid, String participant) {
        JsonNode sent = lab.cluster().node(Shop.COORDINATOR).admin().get().uri("/admin/messages?scope=" + xid)
                .retrieve().body(JsonNode.class);
        long answered = 0;
        for (JsonNode m : sent) {
            if (m.path("to").asString().equals(participant) && "DELIVERED".equals(m.path("outcome").asString())) {
                answered++;
            }
        }
        return answered;
    }

    /** The timeline's messages as "what -> to" (sent) and "what <- from" (received). */
    private static List<String> messages(JsonNode tx) {
        List<String> messages = new ArrayList<>();
        tx.path("timeline").forEach(e -> {
            if ("message".equals(e.path("type").asString())) {
                boolean sent = e.path("from").asString().startsWith("coordinator-");
                messages.add(e.path("what").asString() + (sent ? " -> " + e.path("to").asString()
                        : " <- " + e.path("from").asString()));
            }
        });
        return messages;
    }
}
