package io.dtxlab.cluster.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.platform.events.ClusterEventPublisher;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import io.dtxlab.testsupport.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/**
 * Three coordinators elect a leader with Paxos and replicate their log; when the leader dies, a new one finishes
 * what it left in doubt. Real services over HTTP, real H2 files; a crash is abrupt.
 */
class CoordinatorFailoverTest {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorFailoverTest.class);
    private static final List<String> COORDINATORS = List.of("coordinator-1", "coordinator-2", "coordinator-3");
    private static final List<String> PARTICIPANTS = List.of("order", "inventory", "payment");

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 3)
            .property("dtx.participant.in-doubt-after", "1s")
            .property("dtx.participant.recovery-interval", "500ms")
            .property("dtx.coordinator.retry-max-backoff", "1s"));

    final LabCluster cluster = lab.cluster();
    final Shop shop = new Shop(cluster);

    @BeforeEach
    void aLeaderIsElected() {
        leader();
    }

    @AfterEach
    void everyCoordinatorIsBackAndNothingIsLeftInDoubt() {
        shop.restore();
    }

    @Test
    void everyCoordinatorAgreesOnTheLeaderAndRecordsCostConsensusMessages() {
        String leader = leader();
        for (String id : COORDINATORS) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(cluster(id).path("leader").asString()).isEqualTo(leader));
        }
        JsonNode view = cluster(leader);
        assertThat(view.path("role").asString()).isEqualTo("LEADER");
        assertThat(view.path("leaseValid").asBoolean()).isTrue();
        assertThat(view.path("members")).hasSize(3);

        Shop.Placed placed = shop.order("alice", "WIDGET", 1);

        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        JsonNode tx = shop.transactionOn(leader, placed.xid());
        assertThat(tx.path("messages").asInt()).as("participant messages stay 4n").isEqualTo(12);
        assertThat(tx.path("consensusMessages").asInt()).as("BEGIN, DECISION, END each chosen by Paxos").isPositive();
        log.info("consensus cost of one 2PC transaction: {} messages for its 3 records", tx.path("consensusMessages"));
        // every coordinator has the transaction in its own copy of the log
        for (String id : COORDINATORS) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(shop.transactionOn(id, placed.xid()).path("decision").asString()).isEqualTo("COMMIT"));
        }
        // and the leader's election and the decision were published on Kafka
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(ClusterEventPublisher.TOPIC));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(ServiceContract.parse(r.value())));
                assertThat(events).anySatisfy(e -> {
                    assertThat(e.path("type").asString()).isEqualTo("LEADER_ELECTED");
                    assertThat(e.path("node").asString()).isEqualTo(leader);
                });
                assertThat(events).anySatisfy(e -> {
                    assertThat(e.path("type").asString()).isEqualTo("DECISION");
                    assertThat(e.path("details").path("xid").asString()).isEqualTo(placed.xid());
                    assertThat(e.path("details").path("decision").asString()).isEqualTo("COMMIT");
                });
            });
        }
    }

    @Test
    void leaderKilledAfterCommitWasChosenANewLeaderCommitsEverywhere() {
        // given the leader dies once COMMIT is chosen, before any commit leaves
        String old = leader();
        shop.arm(old, "coordinator.after-decision", "CRASH", Map.of("times", 1));
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        long killedAt = System.nanoTime();
        cluster.awaitCrash(old, () -> placed.set(shop.order("alice", "WIDGET", 1)));
        String xid = placed.get().xid();

        // then another coordinator is elected, finds COMMIT in the replicated log, and commits everywhere
        String next = await().atMost(Duration.ofSeconds(30)).until(this::currentLeader, l -> l != null && !l.equals(old));
        long electedMs = (System.nanoTime() - killedAt) / 1_000_000;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String participant : PARTICIPANTS) {
                assertThat(shop.branch(participant, xid).path("state").asString()).isEqualTo("COMMITTED");
            }
        });
        long resolvedMs = (System.nanoTime() - killedAt) / 1_000_000;
        log.info("failover: leader {} killed; {} leads after {} ms; in-doubt transaction committed after {} ms",
                old, next, electedMs, resolvedMs);
        assertThat(shop.transactionOn(next, xid).path("decision").asString()).isEqualTo("COMMIT");
        assertThat(cluster.node(old).isRunning()).as("the old leader is never restarted").isFalse();
        assertThat(shop.order(placed.get().orderId()).path("status").asString()).isEqualTo("CONFIRMED");
    }

    @Test
    void leaderKilledMidSagaTheNewLeaderResumesItBackwardAndCompensatesEveryStep() {
        // given a saga whose payment step is refused, and a leader that dies once going back is durable, before any
        // compensation leaves
        Shop saga = new Shop(cluster, "SAGA");
        Shop.Stock stockBefore = saga.stock("GIZMO");
        Shop.Funds fundsBefore = saga.funds("bob");
        String old = leader();
        saga.arm(old, "coordinator.after-decision", "CRASH", Map.of("times", 1));
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        cluster.awaitCrash(old, () -> placed.set(saga.order("bob", "GIZMO", 1)));
        String xid = placed.get().xid();

        // then the new leader finds the ABORT in the replicated log and compensates every step, last first
        String next = await().atMost(Duration.ofSeconds(30)).until(this::currentLeader, l -> l != null && !l.equals(old));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(saga.branch("order", xid).path("state").asString()).isEqualTo("COMPENSATED");
            assertThat(saga.branch("inventory", xid).path("state").asString()).isEqualTo("COMPENSATED");
            assertThat(saga.transactionOn(next, xid).path("state").asString()).isEqualTo("ENDED");
        });
        assertThat(saga.stock("GIZMO")).isEqualTo(stockBefore);
        assertThat(saga.funds("bob")).isEqualTo(fundsBefore);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(saga.order(placed.get().orderId()).path("status").asString()).isEqualTo("REJECTED"));
    }

    @Test
    void leaderKilledBeforeTheDecisionTheNewLeaderAbortsAndUnblocksTheParticipants() {
        // given the leader dies after every vote, before it decides (with one coordinator, participants would wait for its restart)
        String old = leader();
        shop.arm(old, "coordinator.after-votes", "CRASH", Map.of("times", 1));
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        long killedAt = System.nanoTime();
        cluster.awaitCrash(old, () -> placed.set(shop.order("alice", "GADGET", 1)));
        String xid = placed.get().xid();

        // then the new leader finds BEGIN without a decision and aborts: the participants are unblocked
        // without the old leader ever coming back
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String participant : PARTICIPANTS) {
                assertThat(shop.branch(participant, xid).path("state").asString()).isEqualTo("ABORTED");
            }
        });
        log.info("failover: participants unblocked {} ms after the leader died before deciding",
                (System.nanoTime() - killedAt) / 1_000_000);
        String next = currentLeader();
        assertThat(next).isNotEqualTo(old);
        assertThat(shop.transactionOn(next, xid).path("reason").asString()).contains("presumed abort");
        assertThat(cluster.node(old).isRunning()).isFalse();
    }

    @Test
    void leaderKilledMidThreePhaseCommitTheNewLeaderAppliesTheTerminationRule() {
        // given the leader dies once every pre-commit ack is in, before it decides
        Shop threePhase = new Shop(cluster, "3PC");
        String old = leader();
        threePhase.arm(old, "coordinator.after-pre-commit", "CRASH", Map.of("times", 1));
        AtomicReference<Shop.Placed> placed = new AtomicReference<>();
        cluster.awaitCrash(old, () -> placed.set(threePhase.order("alice", "WIDGET", 1)));
        String xid = placed.get().xid();

        // then the new leader finds pre-committed branches and commits (before the participants' own timeout)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String participant : PARTICIPANTS) {
                assertThat(shop.branch(participant, xid).path("state").asString()).isEqualTo("COMMITTED");
            }
        });
        JsonNode tx = shop.transactionOn(currentLeader(), xid);
        assertThat(tx.path("decision").asString()).isEqualTo("COMMIT");
        assertThat(tx.path("reason").asString()).contains("termination rule");
    }

    @Test
    void aLeaderThatFallsSilentIsNotWaitedForTheOrderServiceBeginsAtTheNewOne() {
        // given the order service knows the leader (it has just placed an order there)
        String old = leader();
        assertThat(shop.order("alice", "WIDGET", 1).outcome()).isEqualTo("CONFIRMED");
        // and the leader dies, and the others elect a new one
        cluster.crash(old);
        List<String> others = new ArrayList<>(COORDINATORS);
        others.remove(old);
        String next = await().atMost(Duration.ofSeconds(30)).until(() -> leaderAmong(others), l -> l != null);
        // but a begin sent to the old one is never answered (held back 20 s, then refused): a paused or cut-off
        // leader refuses nothing
        shop.arm("order", "send:begin", "DELAY", Map.of("peer", old, "delayMs", 20_000, "times", 1));

        // when an order is placed
        Shop.Placed placed = shop.order("alice", "WIDGET", 1);

        // then the order service does not wait out the silent one: after a second it asks the others who leads,
        // and begins it there (without that, the begin would fail after 20 s and the order be refused with 503)
        assertThat(placed.status()).as(placed.body().toString()).isEqualTo(201);
        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        assertThat(placed.body().path("coordinator").asString()).isEqualTo(next);
    }

    @Test
    void aPartitionedOldLeaderCanDecideNothingAndTheMajorityKeepsTakingOrders() {
        // given the leader is cut off from the other coordinators (it can still reach the participants)
        String old = leader();
        long oldEpoch = cluster(old).path("epoch").asLong();
        List<String> others = new ArrayList<>(COORDINATORS);
        others.remove(old);
        cluster.partition(old, others.toArray(String[]::new));

        // then the majority elects a new leader with a higher ballot
        String next = await().atMost(Duration.ofSeconds(30)).until(() -> leaderAmong(others), l -> l != null);
        long newEpoch = cluster(next).path("epoch").asLong();
        assertThat(newEpoch).isGreaterThan(oldEpoch);

        // and orders keep flowing, through whichever coordinator leads
        Shop.Placed placed = shop.order("alice", "WIDGET", 1);
        assertThat(placed.outcome()).isEqualTo("CONFIRMED");
        assertThat(shop.transactionOn(next, placed.xid()).path("epoch").asLong()).isEqualTo(newEpoch);

        // when the old leader is asked to run a transaction, it cannot get its BEGIN chosen without a majority
        ResponseEntity<String> refused = cluster.node(old).internal().post().uri("/internal/transactions")
                .body(Map.of("xid", "tx-stale-" + System.nanoTime(), "protocol", "2PC", "branches",
                        List.of(Map.of("participant", "inventory", "payload", Map.of("sku", "WIDGET", "quantity", 1)))))
                .retrieve().toEntity(String.class);
        assertThat(refused.getStatusCode().value()).isEqualTo(503);
        assertThat(ServiceContract.parse(refused.getBody()).path("title").asString()).isEqualTo("Not the leader");

        // and whatever it still sends with its old ballot, participants refuse as stale
        ResponseEntity<String> stale = lab.node("inventory").internal().post()
                .uri("/internal/branches/tx-stale-" + System.nanoTime() + "/prepare")
                .body(Map.of("coordinator", old, "epoch", oldEpoch, "protocol", "2PC",
                        "payload", Map.of("sku", "WIDGET", "quantity", 1)))
                .retrieve().toEntity(String.class);
        assertThat(stale.getStatusCode().value()).isEqualTo(409);
        assertThat(ServiceContract.parse(stale.getBody()).path("reply").asString()).isEqualTo("STALE");
    }

    @Test
    void withTwoOfThreeCoordinatorsDownNoTransactionBeginsUntilOneReturns() {
        // given two coordinators are down
        String survivor = leader();
        List<String> down = new ArrayList<>(COORDINATORS);
        down.remove(survivor);
        down.forEach(cluster::crash);

        // then no transaction begins: a clear 503, and nothing is left half done
        await().atMost(Duration.ofSeconds(30)).until(() -> !cluster(survivor).path("leaseValid").asBoolean());
        Shop.Placed refused = shop.order("alice", "WIDGET", 1);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.body().path("detail").asString()).contains("no coordinator leads");
        assertThat(shop.audit().path("mixedOutcomes")).isEmpty();

        // when one comes back, a majority exists again and orders are taken
        cluster.start(down.get(0));
        await().atMost(Duration.ofSeconds(60)).until(() -> currentLeader() != null);
        assertThat(shop.order("alice", "WIDGET", 1).outcome()).isEqualTo("CONFIRMED");
    }

    /** Waits for a leader that every running coordinator agrees on, and returns it. */
    private String leader() {
        return await("a leader").atMost(Duration.ofSeconds(60)).until(this::currentLeader, l -> l != null);
    }

    /** The coordinator that leads with a valid lease and a complete log, if any. */
    private String currentLeader() {
        return leaderAmong(COORDINATORS);
    }

    private String leaderAmong(List<String> ids) {
        for (String id : ids) {
            LabNode node = cluster.node(id);
            if (node.isRunning()) {
                JsonNode view = cluster(id);
                if (view.path("leaseValid").asBoolean() && view.path("caughtUp").asBoolean()) {
                    return id;
                }
            }
        }
        return null;
    }

    private JsonNode cluster(String id) {
        return ServiceContract.json(cluster.node(id), "/cluster");
    }
}
