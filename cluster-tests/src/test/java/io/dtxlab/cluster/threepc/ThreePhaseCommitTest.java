package io.dtxlab.cluster.threepc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Three-phase commit for the same order flow: can-commit (no locks), pre-commit (locks), do-commit. Participants
 * decide alone on a timeout: abort while they only voted, commit once pre-committed. That removes 2PC's blocking,
 * and, under a partition, breaks atomicity.
 */
class ThreePhaseCommitTest {

    private static final List<String> PARTICIPANTS = List.of("order", "inventory", "payment");
    private static final String COORDINATOR = Shop.COORDINATOR;

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 1)
            .property("dtx.coordinator.prepare-timeout", "2s")
            .property("dtx.coordinator.retry-max-backoff", "1s")
            .property("dtx.participant.three-phase-timeout", "3s"));

    final LabCluster cluster = lab.cluster();
    final Shop shop = new Shop(cluster, "3PC");

    @AfterEach
    void everyNodeIsBackAndNothingIsLeftInDoubt() {
        shop.restore();
    }

    @Test
    void happyPathConfirmsWithSixMessagesPerParticipant() {
        Shop.Stock stock = shop.stock("WIDGET");

        Shop.Placed placed = shop.order("alice", "WIDGET", 2);

        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        assertThat(placed.body().path("protocol").asString()).isEqualTo("3PC");
        JsonNode tx = shop.transactionLogged(placed.xid());
        assertThat(tx.path("messages").asInt()).isEqualTo(6 * 3);
        // each phase's messages fan out in parallel (a fast ack may overtake the last send), between the log records
        List<String> whats = whats(tx);
        assertThat(whats).hasSize(22);
        assertThat(List.of(whats.get(0), whats.get(7), whats.get(14), whats.get(21)))
                .containsExactly("BEGIN logged", "PRE-COMMIT logged", "DECISION COMMIT logged", "END logged");
        assertThat(whats.subList(1, 7)).containsExactlyInAnyOrder(
                "can-commit", "can-commit", "can-commit", "vote YES", "vote YES", "vote YES");
        assertThat(whats.subList(8, 14)).containsExactlyInAnyOrder(
                "pre-commit", "pre-commit", "pre-commit", "ack", "ack", "ack");
        assertThat(whats.subList(15, 21)).containsExactlyInAnyOrder(
                "do-commit", "do-commit", "do-commit", "ack", "ack", "ack");
        assertThat(shop.stock("WIDGET")).isEqualTo(new Shop.Stock(stock.available() - 2, 0, stock.sold() + 2));
        for (String participant : PARTICIPANTS) {
            assertThat(shop.branch(participant, placed.xid()).path("state").asString()).isEqualTo("COMMITTED");
        }
    }

    @Test
    void aNoInCanCommitAbortsBeforeAnythingIsLocked() {
        // given at most 100 widgets
        Shop.Stock stock = shop.stock("WIDGET");

        // when alice orders 150
        Shop.Placed placed = shop.order("alice", "WIDGET", 150);

        // then inventory says no in can-commit and the transaction aborts
        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(placed.reason()).contains("inventory voted NO").contains("insufficient stock");
        // and nothing was ever locked: no branch ever held a reservation, and no message but can-commit and abort
        for (String participant : PARTICIPANTS) {
            JsonNode branch = shop.branch(participant, placed.xid());
            assertThat(branch.path("state").asString()).isEqualTo("ABORTED");
            assertThat(branch.path("preparedAt").isMissingNode() || branch.path("preparedAt").isNull())
                    .as("%s never reserved", participant).isTrue();
        }
        assertThat(whats(shop.transaction(placed.xid()))).doesNotContain("pre-commit");
        assertThat(shop.stock("WIDGET")).isEqualTo(stock);
        assertThat(shop.order(placed.orderId()).path("status").asString()).isEqualTo("REJECTED");
    }

    @Test
    void coordinatorCrashAfterEveryPreCommitAckDoesNotBlockParticipantsCommitByTimeout() {
        // given the coordinator crashes once every pre-commit ack is in, and stays down
        Shop.Stock stock = shop.stock("GADGET");
        shop.arm(COORDINATOR, "coordinator.after-pre-commit", "CRASH", Map.of("times", 1));
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        cluster.awaitCrash(COORDINATOR, () -> placed.set(shop.order("alice", "GADGET", 1)));
        String xid = placed.get().xid();
        assertThat(placed.get().status()).isEqualTo(202);

        // then the participants, pre-committed, commit by their own timeout without it (2PC would block here:
        // see TwoPhaseCommitCrashTest#coordinatorCrashBeforeTheDecisionBlocksTheParticipantsUntilItReturnsAndAborts)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String participant : PARTICIPANTS) {
                assertThat(shop.branch(participant, xid).path("state").asString()).isEqualTo("COMMITTED");
            }
        });
        assertThat(shop.branch("payment", xid).path("reason").asString()).contains("committed by timeout");
        assertThat(cluster.node(COORDINATOR).isRunning()).isFalse();
        assertThat(shop.stock("GADGET")).isEqualTo(new Shop.Stock(stock.available() - 1, 0, stock.sold() + 1));
        assertThat(shop.order(placed.get().orderId()).path("status").asString()).isEqualTo("CONFIRMED");

        // and when it returns, the termination rule finds pre-committed (committed) branches and commits too
        cluster.start(COORDINATOR);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode tx = shop.transaction(xid);
            assertThat(tx.path("decision").asString()).isEqualTo("COMMIT");
            assertThat(tx.path("state").asString()).isEqualTo("ENDED");
        });
        assertThat(shop.transaction(xid).path("reason").asString()).contains("termination rule");
    }

    @Test
    void coordinatorCrashAfterTheVotesLetsParticipantsAbortByTimeout() {
        // given the coordinator crashes after the can-commit votes, before pre-commit
        Shop.Stock stock = shop.stock("WIDGET");
        shop.arm(COORDINATOR, "coordinator.after-votes", "CRASH", Map.of("times", 1));
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        cluster.awaitCrash(COORDINATOR, () -> placed.set(shop.order("alice", "WIDGET", 1)));
        String xid = placed.get().xid();

        // then every branch, having only voted, aborts by timeout: nothing was ever locked
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String participant : PARTICIPANTS) {
                assertThat(shop.branch(participant, xid).path("state").asString()).isEqualTo("ABORTED");
            }
        });
        assertThat(shop.stock("WIDGET")).isEqualTo(stock);
        assertThat(shop.order(placed.get().orderId()).path("status").asString()).isEqualTo("REJECTED");

        // and the restarted coordinator finds nobody pre-committed and aborts as well
        cluster.start(COORDINATOR);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(shop.transaction(xid).path("decision").asString()).isEqualTo("ABORT"));
    }

    @Test
    void coordinatorCrashAfterDecidingCommitCompletesEverywhere() {
        shop.arm(COORDINATOR, "coordinator.after-decision", "CRASH", Map.of("times", 1));
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        cluster.awaitCrash(COORDINATOR, () -> placed.set(shop.order("alice", "WIDGET", 1)));
        String xid = placed.get().xid();

        cluster.start(COORDINATOR);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(shop.transaction(xid).path("state").asString()).isEqualTo("ENDED");
            for (String participant : PARTICIPANTS) {
                assertThat(shop.branch(participant, xid).path("state").asString()).isEqualTo("COMMITTED");
            }
        });
        assertThat(shop.audit().path("mixedOutcomes").toString()).doesNotContain(xid);
    }

    @Test
    void participantCrashAfterItsYesIsPersistedStillEndsConsistently() {
        Shop.Funds funds = shop.funds("alice");
        shop.arm("payment", "participant.after-vote-persisted", "CRASH", Map.of("times", 1));
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        cluster.awaitCrash("payment", () -> placed.set(shop.order("alice", "WIDGET", 1)));
        String xid = placed.get().xid();
        assertThat(placed.get().outcome()).isEqualTo("REJECTED");

        cluster.start("payment");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(shop.branch("payment", xid).path("state").asString()).isEqualTo("ABORTED"));
        assertThat(shop.funds("alice")).isEqualTo(funds);
    }

    @Test
    void aPartitionAfterPreCommitLeavesAMixedOutcomeAndTheAuditReportsIt() {
        // given: inventory's pre-commit ack will reach the coordinator 5 s late (past its 2 s timeout)
        Shop.Funds funds = shop.funds("alice");
        Shop.Stock stock = shop.stock("WIDGET");
        shop.arm(COORDINATOR, "reply:pre-commit", "DELAY", Map.of("peer", "inventory", "delayMs", 5000, "times", 1));

        // when an order runs, and a partition cuts payment off from the coordinator right after it pre-committed
        CompletableFuture<Shop.Placed> placing = CompletableFuture.supplyAsync(() -> shop.order("alice", "WIDGET", 1));
        String xid = await().atMost(Duration.ofSeconds(30)).until(() -> preCommitted("payment"), x -> x != null);
        cluster.partition("payment", COORDINATOR);

        // then the coordinator misses inventory's ack and aborts
        Shop.Placed placed = placing.join();
        assertThat(placed.xid()).isEqualTo(xid);
        assertThat(placed.outcome()).isEqualTo("REJECTED");
        assertThat(placed.reason()).contains("inventory");
        // and payment, cut off and pre-committed, times out and commits: Skeen's partition anomaly
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(shop.branch("payment", xid).path("state").asString()).isEqualTo("COMMITTED");
            assertThat(shop.branch("inventory", xid).path("state").asString()).isEqualTo("ABORTED");
            assertThat(shop.branch("order", xid).path("state").asString()).isEqualTo("ABORTED");
        });
        assertThat(shop.funds("alice").charged()).isEqualByComparingTo(funds.charged().add(new BigDecimal("2.50")));
        assertThat(shop.stock("WIDGET")).isEqualTo(stock); // charged, yet no widget sold and no order

        // when the partition heals, the coordinator's resent abort is refused by payment: the mixed outcome stays
        cluster.heal();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                whats(shop.transaction(xid))).contains("phase 2 to payment stopped"));
        assertThat(shop.branch("payment", xid).path("state").asString()).isEqualTo("COMMITTED");

        // and the audit detects it
        JsonNode audit = shop.audit();
        assertThat(audit.path("consistent").asBoolean()).isFalse();
        List<String> mixed = new ArrayList<>();
        audit.path("mixedOutcomes").forEach(f -> mixed.add(f.path("xid").asString()));
        assertThat(mixed).contains(xid);
        JsonNode finding = findingFor(audit, xid);
        assertThat(finding.path("decision").asString()).isEqualTo("ABORT");
        assertThat(finding.path("branches").path("payment").asString()).isEqualTo("COMMITTED");
        assertThat(finding.path("branches").path("inventory").asString()).isEqualTo("ABORTED");
        // each participant on its own is still conserved: the damage is atomicity, not arithmetic
        audit.path("invariants").forEach(p -> assertThat(p.path("holds").asBoolean()).as(p.toString()).isTrue());
    }

    private static JsonNode findingFor(JsonNode audit, String xid) {
        for (JsonNode f : audit.path("mixedOutcomes")) {
            if (f.path("xid").asString().equals(xid)) {
                return f;
            }
        }
        throw new AssertionError("no finding for " + xid);
    }

    private String preCommitted(String participant) {
        JsonNode branches = io.dtxlab.testsupport.ServiceContract.json(cluster.node(participant),
                "/branches?state=PRE_COMMITTED");
        return branches.isEmpty() ? null : branches.get(0).path("xid").asString();
    }

    private static List<String> whats(JsonNode tx) {
        List<String> whats = new ArrayList<>();
        tx.path("timeline").forEach(e -> whats.add(e.path("what").asString()));
        return whats;
    }
}
