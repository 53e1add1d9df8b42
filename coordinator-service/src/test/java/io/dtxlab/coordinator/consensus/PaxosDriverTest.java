package io.dtxlab.coordinator.consensus;

import static io.dtxlab.coordinator.consensus.ConsensusNodes.COORDINATORS;
import static io.dtxlab.coordinator.consensus.ConsensusNodes.driver;
import static io.dtxlab.coordinator.consensus.ConsensusNodes.leader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.coordinator.CoordinatorApplication;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.platform.messaging.MessageLog;
import io.dtxlab.platform.messaging.MessageOutcome;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three coordinators' Paxos drivers over real HTTP and H2: one leader, batched and concurrent proposals whose
 * futures complete after the listeners applied them, the cost in messages, the idle cost (heartbeats as datagrams),
 * and a failover.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PaxosDriverTest {

    private static final Logger log = LoggerFactory.getLogger(PaxosDriverTest.class);

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> nodes
            .node("coordinator-1", CoordinatorApplication.class)
            .node("coordinator-2", CoordinatorApplication.class)
            .node("coordinator-3", CoordinatorApplication.class)
            .withoutKafka());

    final LabCluster cluster = lab.cluster();

    @Test
    @Order(1)
    void oneLeaderIsElectedAndEveryCoordinatorNamesIt() {
        String leader = leader(cluster);
        for (String id : COORDINATORS) {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(driver(cluster.node(id)).status().leader()).isEqualTo(leader));
        }
    }

    @Test
    @Order(2)
    void aBatchIsChosenInOneRoundAndEachFutureCompletesAfterTheListenersAppliedItsSlot() throws Exception {
        PaxosDriver paxos = driver(cluster.node(leader(cluster)));
        Map<String, List<Long>> seen = new ConcurrentHashMap<>();
        for (String id : COORDINATORS) {
            List<Long> slots = new CopyOnWriteArrayList<>();
            seen.put(id, slots);
            driver(cluster.node(id)).onChosen(batch -> batch.stream().map(SlotValue::slot).forEach(slots::add));
        }
        DistributionSummary rounds = cluster.node(leader(cluster)).bean(MeterRegistry.class)
                .get("dtx.paxos.round.records")
                .summary();
        long roundsBefore = rounds.count();
        List<String> payloads = IntStream.range(0, 40).mapToObj(i -> "{\"type\":\"TEST-NOTE\",\"xid\":\"batch-" + i + "\"}").toList();

        List<CompletableFuture<PaxosDriver.Chosen>> futures = paxos.propose(payloads);

        List<Long> slots = new ArrayList<>();
        for (CompletableFuture<PaxosDriver.Chosen> f : futures) {
            PaxosDriver.Chosen chosen = f.get(30, TimeUnit.SECONDS);
            assertThat(chosen.ours()).isTrue();
            assertThat(paxos.appliedThrough()).as("applied before the future completed").isGreaterThanOrEqualTo(chosen.slot());
            slots.add(chosen.slot());
        }
        assertThat(slots).as("consecutive slots, in order").isEqualTo(
                IntStream.range(0, 40).mapToObj(i -> slots.get(0) + i).toList());
        assertThat(rounds.count() - roundsBefore).as("one consensus round for the whole batch").isEqualTo(1);
        // every coordinator applies them, in slot order, without gaps
        for (String id : COORDINATORS) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(seen.get(id)).containsAll(slots));
            List<Long> applied = seen.get(id);
            for (int i = 1; i < applied.size(); i++) {
                assertThat(applied.get(i)).as(id + " applies in slot order").isEqualTo(applied.get(i - 1) + 1);
            }
        }
    }

    @Test
    @Order(3)
    void concurrentProposalsShareRoundsAndCostFewerMessagesPerRecordThanOneRoundEach() throws Exception {
        String leader = leader(cluster);
        PaxosDriver paxos = driver(cluster.node(leader));
        double before = consensusMessages();
        DistributionSummary rounds = cluster.node(leader).bean(MeterRegistry.class).get("dtx.paxos.round.records")
                .summary();
        long roundsBefore = rounds.count();
        int clients = 16;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                done.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < each; i++) {
                        PaxosDriver.Chosen chosen = paxos.propose("{\"type\":\"TEST-NOTE\",\"xid\":\"c" + client + "-" + i + "\"}").join();
                        assertThat(chosen.ours()).isTrue();
                    }
                }, pool));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        int records = clients * each;
        double perRecord = (consensusMessages() - before) / records;
        long roundCount = rounds.count() - roundsBefore;
        log.info("{} concurrent records from {} clients: {} consensus rounds ({} records per round), {} consensus "
                + "messages per record (sent and received, counted on all three coordinators, heartbeats excluded)",
                records, clients, roundCount, String.format("%.2f", (double) records / roundCount),
                String.format("%.2f", perRecord));
        assertThat(roundCount).as("rounds").isLessThanOrEqualTo(records);
        // one round per record costs 3(n-1) = 6 messages, each counted by its sender and its receiver
        assertThat(perRecord).isLessThanOrEqualTo(12);
    }

    @Test
    @Order(4)
    void theLeaderAppliesEachRoundAtOnceWhileAFollowerGathersTheRoundsOfAShortSpanIntoOneApply() throws Exception {
        String leader = leader(cluster);
        String follower = COORDINATORS.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
        PaxosDriver paxos = driver(cluster.node(leader));
        List<List<Long>> leaderApplies = new CopyOnWriteArrayList<>();
        List<List<Long>> followerApplies = new CopyOnWriteArrayList<>();
        paxos.onChosen(batch -> leaderApplies.add(batch.stream().map(SlotValue::slot).toList()));
        driver(cluster.node(follower)).onChosen(batch -> followerApplies.add(batch.stream().map(SlotValue::slot).toList()));
        int rounds = 20;

        // when the leader has 20 records chosen one after the other, each in a round of its own
        List<Long> slots = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            PaxosDriver.Chosen chosen = paxos.propose("{\"type\":\"TEST-NOTE\",\"xid\":\"round-" + i + "\"}")
                    .get(30, TimeUnit.SECONDS);
            assertThat(chosen.ours()).isTrue();
            slots.add(chosen.slot());
        }

        // then the leader applied each round on its own, before its proposer heard of it; the follower, whose copy
        // nobody waits for, applied them all in fewer local commits: those chosen within 100 ms of each other together
        assertThat(applyingAny(leaderApplies, slots)).hasSize(rounds);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                applyingAny(followerApplies, slots).stream().mapToInt(List::size).sum()).isEqualTo(rounds));
        assertThat(applyingAny(followerApplies, slots)).hasSizeLessThan(rounds);
    }

    /** The applies (each the slots it applied) that applied any of {@code slots}, keeping only those slots. */
    private static List<List<Long>> applyingAny(List<List<Long>> applies, List<Long> slots) {
        return applies.stream().map(a -> a.stream().filter(slots::contains).toList()).filter(a -> !a.isEmpty()).toList();
    }

    @Test
    @Order(5)
    void atRestTheLeaderHeartbeatsByDatagramAndTheFollowersAnswerByDatagram() {
        String leader = leader(cluster);
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true); // let the previous test's traffic die down
        Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
        Map<String, AtomicLong> datagramsSent = new ConcurrentHashMap<>();
        AtomicBoolean counting = new AtomicBoolean(true);
        for (String id : COORDINATORS) {
            AtomicLong http = new AtomicLong();
            AtomicLong udp = new AtomicLong();
            requests.put(id, http);
            datagramsSent.put(id, udp);
            cluster.node(id).bean(MessageLog.class).subscribe(r -> {
                if (counting.get() && r.kind().startsWith("paxos-")) {
                    (r.outcome() == MessageOutcome.SENT ? udp : http).incrementAndGet();
                }
            });
        }
        MeterRegistry leaderMeters = cluster.node(leader).bean(MeterRegistry.class);
        double heartbeatsBefore = datagrams(leaderMeters, "paxos-accept", "sent");
        double httpAcceptsBefore = httpMessages(leaderMeters, "paxos-accept");
        long start = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(2)).until(() -> true);
        counting.set(false);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        long heartbeat = driver(cluster.node(leader)).config().heartbeatInterval();
        log.info("at rest for {} ms: Paxos requests sent {}, Paxos datagrams sent {}", elapsedMs, requests,
                datagramsSent);
        // one heartbeat per interval to each of two followers, each a datagram, none an HTTP exchange
        assertThat(datagrams(leaderMeters, "paxos-accept", "sent") - heartbeatsBefore).as("heartbeat datagrams")
                .isBetween(2.0, 2.0 * (elapsedMs / heartbeat + 2));
        assertThat(httpMessages(leaderMeters, "paxos-accept")).as("heartbeats over HTTP").isEqualTo(httpAcceptsBefore);
        for (String id : COORDINATORS) {
            assertThat(requests.get(id).get()).as(id + " Paxos requests over HTTP").isZero();
            if (!id.equals(leader)) {
                assertThat(datagramsSent.get(id).get()).as(id + " (follower) answers as datagrams").isPositive();
                assertThat(datagrams(cluster.node(id).bean(MeterRegistry.class), "paxos-accept", "received"))
                        .as(id + " heartbeats received").isPositive();
            }
        }
    }

    @Test
    @Order(6)
    void whenTheLeaderCrashesAnotherIsElectedAndProposalsGoOn() throws Exception {
        String old = leader(cluster);
        long killedAt = System.nanoTime();
        cluster.crash(old);
        String next = leader(cluster);
        log.info("failover: {} crashed, {} leads and is caught up after {} ms", old, next,
                (System.nanoTime() - killedAt) / 1_000_000);
        assertThat(next).isNotEqualTo(old);
        PaxosDriver.Chosen chosen = driver(cluster.node(next)).propose("{\"type\":\"TEST-NOTE\",\"xid\":\"after-failover\"}").get(30, TimeUnit.SECONDS);
        assertThat(chosen.ours()).isTrue();
        // the old leader comes back as a follower and catches up
        cluster.start(old);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(driver(cluster.node(old)).status().leader()).isEqualTo(next);
            assertThat(driver(cluster.node(old)).appliedThrough()).isGreaterThanOrEqualTo(chosen.slot());
        });
    }

    private static double datagrams(MeterRegistry meters, String kind, String direction) {
        return meters.find("dtx.datagrams").tag("kind", kind).tag("direction", direction).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static double httpMessages(MeterRegistry meters, String kind) {
        return meters.find("dtx.messages").tag("kind", kind).timers().stream().mapToDouble(Timer::count).sum();
    }

    private double consensusMessages() {
        double total = 0;
        for (String id : COORDINATORS) {
            LabNode node = cluster.node(id);
            if (node.isRunning()) {
                for (Counter c : node.bean(MeterRegistry.class).find("dtx.paxos.messages").counters()) {
                    total += c.count();
                }
            }
        }
        return total;
    }
}
