package io.dtxlab.cluster.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.Answer;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /orders} with an {@code Idempotency-Key} (draft-ietf-httpapi-idempotency-key-header): a client may
 * send an order again (after a timeout, a cut connection, a crash of the order service) and gets one order and one
 * charge. Real services over HTTP, real H2 files.
 */
class IdempotentOrderTest {

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 1)
            .property("order", "dtx.participant.branch-expected-within", "6s"));

    final LabCluster cluster = lab.cluster();
    final Shop shop = new Shop(cluster);

    @AfterEach
    void restore() {
        shop.restore();
    }

    @Test
    void theSameKeyAndBodyTwiceMakeOneOrderAndOneChargeAndAnswerTheFirstAnswerAgain() {
        String key = "\"" + UUID.randomUUID() + "\"";
        BigDecimal charged = shop.funds("alice").charged();
        int sold = shop.stock("WIDGET").sold();

        Answer first = Answer.of(shop.order(key, "alice", "WIDGET", 1));
        ResponseEntity<String> second = shop.order(key, "alice", "WIDGET", 1);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().path("outcome").asString()).isEqualTo("CONFIRMED");
        assertThat(Answer.of(second).status()).isEqualTo(201);
        assertThat(Answer.of(second).body()).as("the first answer, again").isEqualTo(first.body());
        assertThat(second.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(shop.funds("alice").charged().subtract(charged)).as("one charge")
                .isEqualByComparingTo(first.body().path("amount").decimalValue());
        assertThat(shop.stock("WIDGET").sold() - sold).as("one unit sold").isEqualTo(1);
        assertThat(shop.order(first.body().path("orderId").asString()).path("status").asString()).isEqualTo("CONFIRMED");
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndPlacesNothing() {
        String key = UUID.randomUUID().toString();
        assertThat(shop.order(key, "alice", "WIDGET", 1).getStatusCode().value()).isEqualTo(201);
        int sold = shop.stock("WIDGET").sold();

        Answer reused = Answer.of(shop.order(key, "alice", "WIDGET", 2));

        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.contentType()).isEqualTo("application/problem+json");
        assertThat(reused.body().path("detail").asString()).contains("was used with another request");
        assertThat(shop.stock("WIDGET").sold()).isEqualTo(sold);
    }

    @Test
    void aMalformedKeyIs400AndPlacesNothing() {
        int orders = orders();
        for (String bad : new String[] {"\"\"", "k".repeat(256), "with space"}) {
            Answer refused = Answer.of(shop.order(bad, "alice", "WIDGET", 1));

            assertThat(refused.status()).as("'%s'", bad).isEqualTo(400);
            assertThat(refused.contentType()).isEqualTo("application/problem+json");
            assertThat(refused.body().path("detail").asString()).contains("Idempotency-Key");
        }
        assertThat(orders()).isEqualTo(orders);
    }

    @Test
    void aRetryWhileTheFirstRequestIsInFlightIs409() {
        // given the first request waits 3 s before its begin leaves for the coordinator
        String key = UUID.randomUUID().toString();
        shop.arm("order", "send:begin", "DELAY", Map.of("delayMs", 3000, "times", 1));
        CompletableFuture<ResponseEntity<String>> first = CompletableFuture.supplyAsync(
                () -> shop.order(key, "alice", "WIDGET", 1));
        await("the first request holds the key").atMost(Duration.ofSeconds(10)).until(() -> cluster.node("order")
                .admin().get().uri("/admin/faults").retrieve().body(String.class), faults -> faults.equals("[]")); // a rule that fired its last time is disarmed before its delay

        Answer retry = Answer.of(shop.order(key, "alice", "WIDGET", 1));

        assertThat(retry.status()).isEqualTo(409);
        assertThat(retry.contentType()).isEqualTo("application/problem+json");
        assertThat(first.join().getStatusCode().value()).isEqualTo(201);
    }

    @Test
    void aRetryAfterTheOrderServiceCrashedMidOrderAnswersThatOrdersRealOutcomeAndChargesOnce() {
        // given the order service dies as the coordinator's answer arrives: the order committed, the client heard nothing
        String key = UUID.randomUUID().toString();
        BigDecimal charged = shop.funds("alice").charged();
        shop.arm("order", "reply:begin", "CRASH", Map.of("times", 1));
        cluster.awaitCrash("order", () -> shop.order(key, "alice", "WIDGET", 1));
        cluster.start("order");

        Answer retry = Answer.of(shop.order(key, "alice", "WIDGET", 1));

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body().path("outcome").asString()).isEqualTo("CONFIRMED");
        assertThat(shop.funds("alice").charged().subtract(charged)).as("one charge")
                .isEqualByComparingTo(retry.body().path("amount").decimalValue());
        assertThat(shop.transaction(retry.body().path("xid").asString()).path("decision").asString())
                .isEqualTo("COMMIT");
    }

    @Test
    void anOrderAnswered202ThatNoCoordinatorBeganIsListedPendingAndARetryWithTheKeyPlacesIt() {
        // given every begin the order service sends is lost: after 15 s it answers 202, the outcome unknown
        String key = UUID.randomUUID().toString();
        shop.arm("order", "send:begin", "DROP", Map.of());
        Answer unknown = Answer.of(shop.order(key, "alice", "WIDGET", 1));
        assertThat(unknown.status()).isEqualTo(202);
        String orderId = unknown.body().path("orderId").asString();

        // then the order is listed, PENDING, though no coordinator ever began its transaction
        assertThat(shop.order(orderId).path("status").asString()).isEqualTo("PENDING");
        assertThat(ServiceContract.json(cluster.node("order"), "/orders?limit=5").toString()).contains(orderId);

        // and a retry with the key, once begins get through, places that same order
        shop.clearFaults();
        Answer retry = Answer.of(shop.order(key, "alice", "WIDGET", 1));
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body().path("orderId").asString()).isEqualTo(orderId);
        assertThat(shop.order(orderId).path("status").asString()).isEqualTo("CONFIRMED");
    }

    @Test
    void anOrderAnswered202ThatNoCoordinatorEverBeganIsRejectedByPresumedAbortAndItsRetryPlacesNothing() {
        // given every begin the order service sends is lost: after 15 s it answers 202, the outcome unknown
        String key = UUID.randomUUID().toString();
        Shop.Stock stock = shop.stock("WIDGET");
        Shop.Funds funds = shop.funds("alice");
        shop.arm("order", "send:begin", "DROP", Map.of());
        Answer unknown = Answer.of(shop.order(key, "alice", "WIDGET", 1));
        assertThat(unknown.status()).isEqualTo(202);
        String orderId = unknown.body().path("orderId").asString();
        String xid = unknown.body().path("xid").asString();
        shop.clearFaults();

        // then once its branch has not arrived for branch-expected-within, the order service asks the coordinator,
        // which never began it, and refuses its branch: the order is REJECTED, and that is final
        JsonNode rejected = await("the order is settled").atMost(Duration.ofSeconds(60))
                .until(() -> shop.order(orderId), o -> !o.path("status").asString().equals("PENDING"));
        assertThat(rejected.path("status").asString()).isEqualTo("REJECTED");
        assertThat(rejected.path("reason").asString()).contains("presumed abort").contains("no record of it");
        assertThat(shop.branch("order", xid).path("state").asString()).isEqualTo("ABORTED");

        // and a retry with the key answers that outcome and begins nothing
        Answer retry = Answer.of(shop.order(key, "alice", "WIDGET", 1));
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body().path("orderId").asString()).isEqualTo(orderId);
        assertThat(retry.body().path("outcome").asString()).isEqualTo("REJECTED");
        assertThat(shop.stock("WIDGET")).isEqualTo(stock);
        assertThat(shop.funds("alice")).isEqualTo(funds);
    }

    private int orders() {
        return ServiceContract.json(cluster.node("order"), "/orders?limit=1000").size();
    }
}
