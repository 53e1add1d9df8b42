package io.dtxlab.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtxlab.bench.DataSet;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.ProtocolMix;
import io.dtxlab.chaos.check.Finding;
import io.dtxlab.chaos.check.OrdersChecker;
import io.dtxlab.chaos.check.OrdersSnapshot;
import io.dtxlab.chaos.check.OrdersSnapshot.Transaction;
import io.dtxlab.chaos.check.Verdict;
import io.dtxlab.chaos.history.HistoryRecorder;
import io.dtxlab.chaos.history.Operation;
import io.dtxlab.chaos.workload.FakeCluster.Reply;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Orders against a fake order, inventory and payment: how answers are recorded, the re-sent orders of unknown
 * outcome, and the snapshot of the run's branches. One customer and one SKU: 100 units, 1000.00, 1.00 a unit.
 */
class OrdersWorkloadTest {

    private final FakeCluster cluster = new FakeCluster("order", "inventory", "payment");
    private final Http http = FakeCluster.http(Duration.ofSeconds(2));
    private final HistoryRecorder history = new HistoryRecorder(new StringWriter(), System::nanoTime);
    private final AtomicBoolean after = new AtomicBoolean();
    /** What each branch of each run transaction ended as, by xid: order, inventory, payment. */
    private final Map<String, List<String>> outcomes = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void participants() {
        cluster.on("inventory", "POST", "/admin/stock/seed", Reply.json(200, Map.of("created", 0, "unchanged", 1)));
        cluster.on("payment", "POST", "/admin/accounts/seed", Reply.json(200, Map.of("unchanged", 1,
                "amountAdded", 0)));
        for (String participant : OrdersSnapshot.PARTICIPANTS) {
            cluster.on(participant, "GET", "/branches", request -> request.query().contains("state=")
                    ? Reply.json(200, List.of()) : Reply.json(200, branches(participant)));
        }
        cluster.on("inventory", "GET", "/stock/SKU-00001", request -> Reply.json(200, Map.of("sku", "SKU-00001",
                "available", 100 - (after.get() ? taken("inventory") : 0), "reserved", 0)));
        cluster.on("payment", "GET", "/accounts/cust-00001", request -> Reply.json(200, Map.of("id", "cust-00001",
                "balance", new BigDecimal("1000.00").subtract(BigDecimal.valueOf(after.get() ? taken("payment") : 0)),
                "held", 0)));
    }

    @AfterEach
    void close() {
        http.close();
        cluster.close();
    }

    @Test
    void answersMapToOkFailOrInfo() {
        assertThat(OrdersWorkload.outcome(answer(201, "{\"xid\":\"tx-1\",\"outcome\":\"CONFIRMED\"}")))
                .isInstanceOf(Outcome.Ok.class);
        assertThat(OrdersWorkload.outcome(answer(202, "{\"xid\":\"tx-1\",\"outcome\":\"PENDING\"}")))
                .isInstanceOf(Outcome.Info.class).extracting("error").asString().startsWith("202 ");
        for (int refused : new int[] {400, 404, 422}) {
            assertThat(OrdersWorkload.outcome(answer(refused, "{\"title\":\"Bad request\"}"))).as("%s", refused)
                    .isInstanceOf(Outcome.Fail.class);
        }
        for (int unknown : new int[] {409, 500, 503}) {
            assertThat(OrdersWorkload.outcome(answer(unknown, "{}"))).as("%s", unknown)
                    .isInstanceOf(Outcome.Info.class);
        }
        assertThat(OrdersWorkload.outcome(new Http.Response(0, null, "timeout: Read timed out")))
                .isInstanceOf(Outcome.Info.class);
        assertThat(OrdersWorkload.outcome(new Http.Response(0, null, "connection refused: order is down")))
                .isInstanceOf(Outcome.Fail.class);
    }

    @Test
    void anOrderGoesWithItsIdempotencyKeyWhichItsInvokeNames() {
        cluster.on("order", "POST", "/orders", Reply.json(201, Map.of("xid", "tx-1", "outcome", "CONFIRMED")));

        orders().order("c1", history, new Random(1));

        Operation op = history.history().operations().get(0);
        FakeCluster.Request sent = cluster.requests("order", "POST", "/orders").get(0);
        assertThat(op.ok()).isTrue();
        assertThat(op.response().path("outcome").asText()).isEqualTo("CONFIRMED");
        assertThat(sent.header("Idempotency-Key")).isEqualTo(op.request().path("idempotencyKey").asText())
                .matches("chaos-[a-z0-9]+-[0-9a-f]{4}-c1-1");
        JsonNode body = json(sent.body());
        assertThat(body.has("idempotencyKey")).as("the key travels in its header only").isFalse();
        assertThat(body.path("customerId").asText()).isEqualTo("cust-00001");
        assertThat(body.path("protocol").asText()).isEqualTo("2PC");
        assertThat(body.path("quantity").asInt()).isBetween(1, 3);
    }

    @Test
    void anOrderWhoseAnswerDoesNotComeInTimeIsInfo() throws InterruptedException {
        CountDownLatch answered = new CountDownLatch(1);
        cluster.on("order", "POST", "/orders", request -> {
            answered.await(5, TimeUnit.SECONDS);
            return Reply.json(201, Map.of("xid", "tx-1", "outcome", "CONFIRMED"));
        });
        try (Http impatient = FakeCluster.http(Duration.ofMillis(200))) {
            new OrdersWorkload(cluster.targets(), impatient, 1, ProtocolMix.only("2PC"), DataSet.seeded(1, 1))
                    .order("c1", history, new Random(1));
        } finally {
            answered.countDown();
        }

        Operation op = history.history().operations().get(0);
        assertThat(op.unknown()).isTrue();
        assertThat(op.completion().error()).startsWith("timeout");
    }

    @Test
    void prepareRefusesWhileABranchStaysInDoubt() {
        cluster.on("inventory", "GET", "/branches", request -> Reply.json(200, request.query().contains(
                "state=PREPARED") ? List.of(Map.of("xid", "tx-9", "state", "PREPARED")) : List.of()));

        assertThatThrownBy(() -> new OrdersWorkload(cluster.targets(), http, 1, ProtocolMix.only("2PC"),
                DataSet.seeded(1, 1), Duration.ZERO).prepare())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("inventory=[tx-9 PREPARED]");
    }

    @Test
    void anOrderOfUnknownOutcomeIsSentAgainAfterTheRunAndLinkedToItsTransactionByItsKey() {
        AtomicInteger posted = new AtomicInteger();
        cluster.on("order", "POST", "/orders", request -> switch (posted.incrementAndGet()) {
            case 1 -> Reply.problem(503, "urn:dtx:problem:http-503", Map.of());
            case 2 -> Reply.json(201, Map.of("xid", "tx-2", "outcome", "CONFIRMED"));
            default -> Reply.json(201, Map.of("xid", "tx-1", "outcome", "REJECTED"));
        });
        OrdersWorkload orders = orders();
        orders.prepare();
        Random random = new Random(4);
        orders.order("c1", history, random);
        orders.order("c2", history, random);
        // the 503'd order went through after all, half: its payment aborted, the rest committed
        outcomes.put("tx-1", List.of("COMMITTED", "COMMITTED", "ABORTED"));
        outcomes.put("tx-2", List.of("COMMITTED", "COMMITTED", "COMMITTED"));
        after.set(true);

        OrdersSnapshot snapshot = orders.snapshot(Duration.ofSeconds(5));

        List<FakeCluster.Request> sent = cluster.requests("order", "POST", "/orders");
        Operation unknown = history.history().operations().get(0);
        String key = unknown.request().path("idempotencyKey").asText();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).header("Idempotency-Key")).isEqualTo(key);
        assertThat(sent.get(2).body()).isEqualTo(sent.get(0).body());
        assertThat(history.history().events()).as("the re-send records nothing").hasSize(4);
        assertThat(snapshot.xidsByIdempotencyKey()).containsExactly(Map.entry(key, "tx-1"));
        assertThat(snapshot.transactions()).extracting(Transaction::xid).containsExactly("tx-2", "tx-1");
        Verdict verdict = new OrdersChecker(snapshot).check(history.history());
        assertThat(verdict.violations()).extracting(Finding::rule).containsExactly("no mixed outcome under 2PC");
        assertThat(verdict.violations().get(0).operations()).containsExactly(unknown);
    }

    @Test
    void branchViewsMakeTransactionsAndOnlyThoseNewerThanTheRunsStartAreTheRuns() {
        List<Participants.Branch> newestFirst = List.of(
                branch("tx-3", "payment", "NONE", "ABORTED", null),
                branch("tx-2", "payment", "NONE", "COMMITTED",
                        "{\"customerId\":\"cust-00002\",\"amount\":3.00,\"orderId\":\"ord-2\"}"),
                branch("tx-0", "payment", "2PC", "COMMITTED", "{}"),
                branch("tx-1", "payment", "2PC", "COMMITTED", "{}"));

        List<Participants.Branch> run = Participants.since(newestFirst, java.util.Set.of("tx-0", "tx-9"));
        List<Transaction> transactions = Participants.transactions(Map.of("payment", run, "inventory", List.of(
                branch("tx-2", "inventory", "NONE", "PREPARED", "{\"sku\":\"SKU-00002\",\"quantity\":3}"))));

        assertThat(run).extracting(Participants.Branch::xid).containsExactly("tx-3", "tx-2");
        Transaction tx2 = transactions.stream().filter(t -> t.xid().equals("tx-2")).findFirst().orElseThrow();
        assertThat(tx2.protocol()).isEqualTo("NONE");
        assertThat(tx2.orderId()).isEqualTo("ord-2");
        assertThat(tx2.branches()).containsEntry("payment", OrdersSnapshot.BranchOutcome.COMMITTED)
                .containsEntry("inventory", OrdersSnapshot.BranchOutcome.IN_DOUBT);
        assertThat(tx2.stockMove()).isEqualTo(new OrdersSnapshot.StockMove("SKU-00002", 3));
        assertThat(tx2.charge()).isEqualTo(new OrdersSnapshot.Charge("cust-00002", new BigDecimal("3.00")));
        Transaction tx3 = transactions.stream().filter(t -> t.xid().equals("tx-3")).findFirst().orElseThrow();
        assertThat(tx3.charge()).as("an empty rollback has no payload").isNull();
    }

    private OrdersWorkload orders() {
        return new OrdersWorkload(cluster.targets(), http, 1, ProtocolMix.only("2PC"), DataSet.seeded(1, 1));
    }

    /** A participant's branches, newest first: the run's once it is over, then one from before it. */
    private List<Map<String, Object>> branches(String participant) {
        List<Map<String, Object>> views = new ArrayList<>();
        if (after.get()) {
            List<FakeCluster.Request> orders = cluster.requests("order", "POST", "/orders");
            for (int i = 2; i >= 1; i--) {
                String xid = "tx-" + i;
                views.add(view(xid, participant, outcomes.get(xid).get(OrdersSnapshot.PARTICIPANTS.indexOf(
                        participant)), payload(participant, i, json(orders.get(i - 1).body()))));
            }
        }
        views.add(view("tx-old", participant, "COMMITTED", "{}"));
        return views;
    }

    private static String payload(String participant, int order, JsonNode request) {
        int quantity = request.path("quantity").asInt();
        return switch (participant) {
            case "inventory" -> "{\"sku\":\"SKU-00001\",\"quantity\":" + quantity + ",\"unitPrice\":1.00}";
            case "payment" -> "{\"customerId\":\"cust-00001\",\"amount\":" + quantity + ".00,\"orderId\":\"ord-"
                    + order + "\"}";
            default -> "{\"orderId\":\"ord-" + order + "\",\"customerId\":\"cust-00001\",\"sku\":\"SKU-00001\","
                    + "\"quantity\":" + quantity + ",\"protocol\":\"2PC\"}";
        };
    }

    /** Units (or whole money) the committed branches of {@code participant} took. */
    private int taken(String participant) {
        List<FakeCluster.Request> orders = cluster.requests("order", "POST", "/orders");
        int taken = 0;
        for (int i = 1; i <= 2; i++) {
            if ("COMMITTED".equals(outcomes.get("tx-" + i).get(OrdersSnapshot.PARTICIPANTS.indexOf(participant)))) {
                taken += json(orders.get(i - 1).body()).path("quantity").asInt();
            }
        }
        return taken;
    }

    private static Map<String, Object> view(String xid, String participant, String state, String payload) {
        return Map.of("xid", xid, "participant", participant, "protocol", "2PC", "state", state, "inDoubt", false,
                "epoch", 1, "emptyRollback", false, "payload", payload);
    }

    private static Participants.Branch branch(String xid, String participant, String protocol, String state,
            String payload) {
        return new Participants.Branch(xid, participant, protocol, state, payload);
    }

    private static Http.Response answer(int status, String body) {
        return new Http.Response(status, body, null);
    }

    private static JsonNode json(String body) {
        try {
            return Http.json().readTree(body);
        } catch (Exception e) {
            throw new IllegalArgumentException(body, e);
        }
    }
}
