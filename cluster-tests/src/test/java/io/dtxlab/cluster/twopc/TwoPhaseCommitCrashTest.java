package io.dtxlab.cluster.twopc;

import static io.dtxlab.cluster.shop.Shop.COORDINATOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Crashes at every step of two-phase commit. A crashed node stops abruptly (its H2 file is cut off at once) and
 * restarts from its files.
 */
class TwoPhaseCommitCrashTest {

    private static final List<String> PARTICIPANTS = List.of("order", "inventory", "payment");

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 1)
            .property("dtx.participant.in-doubt-after", "1s")
            .property("dtx.participant.recovery-interval", "500ms")
            .property("dtx.coordinator.retry-max-backoff", "1s"));

    final LabCluster cluster = lab.cluster();
    final Shop shop = new Shop(cluster);

    @AfterEach
    void everyNodeIsBackAndNothingIsLeftInDoubt() {
        shop.restore();
    }

    @Test
    void coordinatorCrashAfterDecidingCommitCompletesTheCommitEverywhereAfterRestart() {
        // given the coordinator crashes once COMMIT is logged, before any commit leaves
        Shop.Stock stock = shop.stock("WIDGET");
        shop.arm(COORDINATOR, "coordinator.after-decision", "CRASH", Map.of("times", 1));

        // when an order is placed, then its outcome is not known yet
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        cluster.awaitCrash(COORDINATOR, () -> placed.set(shop.order("alice", "WIDGET", 1)));
        assertThat(placed.get().status()).isEqualTo(202);
        assertThat(placed.get().outcome()).isEqualTo("PENDING");
        String xid = placed.get().xid();
        for (String participant : PARTICIPANTS) {
            assertThat(shop.branch(participant, xid).path("state").asString()).isEqualTo("PREPARED");
        }

        // when the coordinator restarts, then it finds COMMIT in its log and finishes phase 2
        cluster.start(COORDINATOR);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(shop.transaction(xid).path("state").asString()).isEqualTo("ENDED");
            for (String participant : PARTICIPANTS) {
                assertThat(shop.branch(participant, xid).path("state").asString()).isEqualTo("COMMITTED");
            }
        });
        assertThat(shop.transaction(xid).path("decision").asString()).isEqualTo("COMMIT");
        assertThat(shop.order(placed.get().orderId()).path("status").asString()).isEqualTo("CONFIRMED");
        assertThat(shop.stock("WIDGET")).isEqualTo(new Shop.Stock(stock.available() - 1, 0, stock.sold() + 1));
    }

    @Test
    void coordinatorCrashBeforeTheDecisionBlocksTheParticipantsUntilItReturnsAndAborts() {
        // given the coordinator crashes after every vote is in, before it decides
        Shop.Stock stock = shop.stock("GADGET");
        Shop.Funds funds = shop.funds("alice");
        shop.arm(COORDINATOR, "coordinator.after-votes", "CRASH", Map.of("times", 1));

        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        cluster.awaitCrash(COORDINATOR, () -> placed.set(shop.order("alice", "GADGET", 2)));
        String xid = placed.get().xid();
        assertThat(placed.get().status()).isEqualTo(202);

        // then, while it is down, every branch stays PREPARED and holds its reservation: 2PC blocks. The
        // participants keep asking for the decision, and nobody can give it.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String participant : PARTICIPANTS) {
                assertThat(shop.branch(participant, xid).path("state").asString()).isEqualTo("PREPARED");
            }
        });
        JsonNode inDoubt = shop.branch("inventory", xid);
        assertThat(inDoubt.path("inDoubt").asBoolean()).isTrue();
        assertThat(inDoubt.path("coordinator").asString()).isEqualTo(COORDINATOR);
        assertThat(inDoubt.path("inDoubtForMs").asLong()).isGreaterThan(0);
        // other orders see less stock, and the customer less money
        assertThat(shop.stock("GADGET")).isEqualTo(new Shop.Stock(stock.available() - 2, 2, stock.sold()));
        assertThat(shop.funds("alice").held()).isEqualByComparingTo(funds.held().add(new BigDecimal("50.00")));
        // and no new order can even begin
        assertThat(shop.order("alice", "WIDGET", 1).status()).isEqualTo(503);

        // when the coordinator returns, then it finds no decision in its log and aborts (presumed abort)
        cluster.start(COORDINATOR);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String participant : PARTICIPANTS) {
                assertThat(shop.branch(participant, xid).path("state").asString()).isEqualTo("ABORTED");
            }
        });
        JsonNode tx = shop.transaction(xid);
        assertThat(tx.path("decision").asString()).isEqualTo("ABORT");
        assertThat(tx.path("reason").asString()).contains("presumed abort");
        assertThat(shop.order(placed.get().orderId()).path("status").asString()).isEqualTo("REJECTED");
        assertThat(shop.stock("GADGET")).isEqualTo(stock);
        assertThat(shop.funds("alice")).isEqualTo(funds);
    }

    @Test
    void participantCrashAfterPersistingItsYesComesBackPreparedAndAppliesTheDecision() {
        // given payment crashes after its YES is on disk, before the coordinator hears it
        Shop.Funds funds = shop.funds("alice");
        shop.arm("payment", "participant.after-vote-persisted", "CRASH", Map.of("times", 1));

        // when an order is placed, then the coordinator never gets payment's vote and aborts
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        Instant crashedAt = Instant.now();
        cluster.awaitCrash("payment", () -> placed.set(shop.order("alice", "WIDGET", 1)));
        String xid = placed.get().xid();
        assertThat(placed.get().outcome()).isEqualTo("REJECTED");
        assertThat(placed.get().reason()).contains("payment");

        // when payment restarts, then its branch is still PREPARED from its file, and it completes with the abort
        cluster.start("payment");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode branch = shop.branch("payment", xid);
            assertThat(branch.path("state").asString()).isEqualTo("ABORTED");
            assertThat(branch.path("emptyRollback").asBoolean()).as("it had prepared before the crash").isFalse();
            assertThat(Instant.parse(branch.path("preparedAt").asString())).isBefore(Instant.now());
        });
        assertThat(Instant.parse(shop.branch("payment", xid).path("preparedAt").asString()))
                .isBefore(cluster.node("payment").bean(io.dtxlab.platform.node.NodeIdentity.class).startedAt());
        assertThat(crashedAt).isNotNull();
        assertThat(shop.funds("alice")).isEqualTo(funds);
    }

    @Test
    void participantCrashAfterVotingYesCommitsAfterRestartWithTheCoordinatorsDecision() {
        // given the coordinator lingers 3 s between logging its decision and sending it
        Shop.Funds funds = shop.funds("alice");
        shop.arm(COORDINATOR, "coordinator.after-decision", "DELAY", Map.of("delayMs", 3000, "times", 1));

        // when an order is placed and payment crashes once it voted YES
        CompletableFuture<Shop.Placed> placing = CompletableFuture.supplyAsync(() -> shop.order("alice", "WIDGET", 1));
        String xid = await().atMost(Duration.ofSeconds(30)).until(() -> preparedAt("payment"), x -> x != null);
        cluster.crash("payment");

        // then the decision is COMMIT, and only payment has not acknowledged it
        Shop.Placed placed = placing.join();
        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        assertThat(placed.xid()).isEqualTo(xid);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                shop.transaction(xid).path("awaitingAck").toString()).isEqualTo("[\"payment\"]"));
        assertThat(shop.branch("order", xid).path("state").asString()).isEqualTo("COMMITTED");

        // when payment restarts, then its branch, PREPARED on disk, commits: the money is charged exactly once
        cluster.start("payment");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(shop.branch("payment", xid).path("state").asString()).isEqualTo("COMMITTED");
            assertThat(shop.transaction(xid).path("state").asString()).isEqualTo("ENDED");
        });
        Shop.Funds after = shop.funds("alice");
        assertThat(after.charged()).isEqualByComparingTo(funds.charged().add(new BigDecimal("2.50")));
        assertThat(after.total()).isEqualByComparingTo(funds.total());
    }

    private String preparedAt(String participant) {
        JsonNode prepared = ServiceContract.json(cluster.node(participant), "/branches?state=PREPARED");
        return prepared.isEmpty() ? null : prepared.get(0).path("xid").asString();
    }
}
