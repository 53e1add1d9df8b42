package io.dtxlab.cluster.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.LabClusterExtension;
import tools.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TwoPhaseCommitConcurrencyTest {

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 1)
            // a busy 2-core CI machine: the point here is contention, not timeouts. A burst of 100 transactions
            // can starve the coordinator's timer long enough to lapse a default 800 ms lease; a lapsed leader
            // is safe (it aborts what it had not decided) but would turn some of the 50 into REJECTED.
            .property("dtx.coordinator.prepare-timeout", "20s")
            .property("dtx.coordinator.consensus.election-timeout", "5s")
            .property("dtx.coordinator.consensus.lease-duration", "4s")
            .property("dtx.coordinator.consensus.heartbeat-interval", "200ms")
            .property("dtx.coordinator.consensus.max-clock-drift", "100ms")
            // fewer request threads than clients: the order service's own branch must still be served
            .property("order", "server.tomcat.threads.max", "8")
            .property("order", "dtx.orders.begin-requests-in-flight", "2")
            .property("order", "dtx.orders.begin-hold", "1m"));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2PC", "3PC"})
    void hundredConcurrentOrdersForFiftyUnitsConfirmExactlyFifty(String protocol) throws Exception {
        // given a SKU with 50 units in stock
        Shop shop = new Shop(lab.cluster(), protocol);
        shop.awaitLeader();
        String sku = "LIMITED-" + protocol;
        shop.stockNew(sku, "1.00", 50);
        Shop.Funds funds = shop.funds("alice");

        // when 100 customers' orders of one unit arrive at once
        ExecutorService clients = Executors.newFixedThreadPool(50);
        List<Callable<Shop.Placed>> orders = IntStream.range(0, 100)
                .<Callable<Shop.Placed>>mapToObj(i -> () -> shop.order("alice", sku, 1)).toList();
        List<String> outcomes = clients.invokeAll(orders).stream().map(TwoPhaseCommitConcurrencyTest::outcome).toList();
        clients.shutdown();

        // then exactly 50 are confirmed, the stock is sold out, money is conserved, and nothing is left in doubt
        // (under 3PC every can-commit may say yes, as nothing is locked yet; pre-commit then refuses the other 50)
        assertThat(outcomes.stream().filter("CONFIRMED"::equals).count()).isEqualTo(50);
        assertThat(outcomes.stream().filter("REJECTED"::equals).count()).isEqualTo(50);
        shop.awaitNoBranchInDoubt();
        assertThat(shop.stock(sku)).isEqualTo(new Shop.Stock(0, 0, 50));
        Shop.Funds after = shop.funds("alice");
        assertThat(after.charged()).isEqualByComparingTo(funds.charged().add(new BigDecimal("50.00")));
        assertThat(after.held()).isEqualByComparingTo(funds.held());
        assertThat(after.total()).isEqualByComparingTo(funds.total());
        assertThat(shop.audit().path("consistent").asBoolean()).as(shop.audit().toString()).isTrue();
    }

    @Test
    void moreClientsThanTheOrderServiceHasRequestThreadsAllConfirm() throws Exception {
        // given the order service has 8 request threads, and is a participant in every order it places
        Shop shop = new Shop(lab.cluster(), "2PC");
        shop.awaitLeader();
        shop.stockNew("MANY-CLIENTS", "1.00", 1000);

        // when 32 clients order at once
        List<String> outcomes = atOnce(shop, 32, "MANY-CLIENTS").stream().map(Shop.Placed::outcome).toList();

        // then every order is confirmed: orders waiting for their coordinator hold no request thread, so the
        // prepare and commit of the order branch still find one (else phase one times out and all abort)
        assertThat(outcomes).containsOnly("CONFIRMED");
        assertThat(shop.stock("MANY-CLIENTS").sold()).isEqualTo(32);
    }

    @Test
    void aSlowParticipantHasAtMostTwoBatchRequestsInFlightAndTheRestLeavesTogether() throws Exception {
        // given inventory answers slowly: every batch request to it waits 300 ms before it leaves the coordinator
        Shop shop = new Shop(lab.cluster(), "2PC");
        shop.awaitLeader();
        shop.stockNew("SLOW-LANE", "1.00", 1000);
        shop.arm(Shop.COORDINATOR, "send:branch-batch", "DELAY", Map.of("peer", "inventory", "delayMs", 300));
        long from = System.currentTimeMillis();
        long to;
        try {
            // when 40 orders arrive at once
            assertThat(atOnce(shop, 40, "SLOW-LANE")).extracting(Shop.Placed::outcome).containsOnly("CONFIRMED");
        } finally {
            to = System.currentTimeMillis();
            shop.clearFaults();
        }
        // then the coordinator never had more than requests-in-flight (2) batch requests to inventory at once, and
        // the 80 messages (a prepare and a commit per order) left in fewer requests: those that waited went together
        List<long[]> requests = requestsSent(Shop.COORDINATOR, "branch-batch", "inventory", from, to);
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r[1] - r[0]).isGreaterThanOrEqualTo(300));
        assertThat(mostAtOnce(requests)).isLessThanOrEqualTo(2);
        assertThat(requests).hasSizeLessThan(80);
    }

    @Test
    void ordersThatArriveWhileBeginsAreOutLeaveTogetherInOneBatch() throws Exception {
        // given every begin request from the order service waits 300 ms before it leaves for the coordinator
        Shop shop = new Shop(lab.cluster(), "2PC");
        shop.awaitLeader();
        shop.stockNew("BEGIN-LANE", "1.00", 1000);
        shop.arm("order", "send:begin", "DELAY", Map.of("delayMs", 300));
        long from = System.currentTimeMillis();
        long to;
        try {
            // when 30 orders arrive at once
            List<Shop.Placed> placed = atOnce(shop, 30, "BEGIN-LANE");
            // then each is CONFIRMED, and ran as if it had been begun alone: 4n participant messages of its own
            assertThat(placed).extracting(Shop.Placed::outcome).containsOnly("CONFIRMED");
            assertThat(shop.transactionLogged(placed.get(0).xid()).path("messages").asInt()).isEqualTo(4 * 3);
        } finally {
            to = System.currentTimeMillis();
            shop.clearFaults();
        }
        // and the order service never had more than begin-requests-in-flight (2) begin requests out at once, so the
        // 30 begins left in fewer requests: those that waited went together
        List<long[]> requests = requestsSent("order", "begin", Shop.COORDINATOR, from, to);
        assertThat(requests).isNotEmpty();
        assertThat(mostAtOnce(requests)).isLessThanOrEqualTo(2);
        assertThat(requests).hasSizeLessThan(30);
    }

    /** {@code n} clients each order one unit of {@code sku} at the same time; their answers, in order. */
    private static List<Shop.Placed> atOnce(Shop shop, int n, String sku) throws InterruptedException {
        ExecutorService clients = Executors.newFixedThreadPool(n);
        try {
            List<Callable<Shop.Placed>> orders = IntStream.range(0, n)
                    .<Callable<Shop.Placed>>mapToObj(i -> () -> shop.order("alice", sku, 1)).toList();
            List<Shop.Placed> placed = new ArrayList<>();
            for (Future<Shop.Placed> answer : clients.invokeAll(orders)) {
                placed.add(answer.get());
            }
            return placed;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            clients.shutdown();
        }
    }

    /**
     * The requests of {@code kind} that {@code node} sent to {@code peer} between {@code from} and {@code to} (this
     * scenario's, not the other tests' on the same cluster), each as [sent, answered) in epoch milliseconds.
     */
    private static List<long[]> requestsSent(String node, String kind, String peer, long from, long to) {
        List<long[]> requests = new ArrayList<>();
        JsonNode sent = lab.cluster().node(node).admin().get().uri("/admin/messages?limit=10000")
                .retrieve().body(JsonNode.class);
        for (JsonNode m : sent) {
            if (m.path("kind").asString().equals(kind) && m.path("to").asString().equals(peer)) {
                long start = Instant.parse(m.path("sentAt").asString()).toEpochMilli();
                if (start >= from && start <= to) {
                    requests.add(new long[] {start, start + m.path("latencyMs").asLong()});
                }
            }
        }
        return requests;
    }

    /** The most intervals [start, end) that overlap at any instant. */
    private static int mostAtOnce(List<long[]> intervals) {
        int most = 0;
        for (long[] a : intervals) {
            int atOnce = 0;
            for (long[] b : intervals) {
                if (b[0] <= a[0] && a[0] < b[1]) {
                    atOnce++;
                }
            }
            most = Math.max(most, atOnce);
        }
        return most;
    }

    private static String outcome(Future<Shop.Placed> placed) {
        try {
            return placed.get().outcome();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
