package io.dtxlab.cluster.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.ServiceContract;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Orders keep flowing while the coordinator leader is killed again and again. */
class FailoverUnderLoadTest {

    private static final Logger log = LoggerFactory.getLogger(FailoverUnderLoadTest.class);
    private static final List<String> COORDINATORS = List.of("coordinator-1", "coordinator-2", "coordinator-3");
    private static final int ORDERS = 200;
    // a kill: crash the leader, wait for the next one, restart the old one (so a majority stays up)
    private static final int KILLS = 5;

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 3)
            .property("dtx.participant.in-doubt-after", "1s")
            .property("dtx.participant.recovery-interval", "500ms")
            .property("dtx.coordinator.retry-max-backoff", "1s"));

    final LabCluster cluster = lab.cluster();

    @Test
    void everyOrderEndsConfirmedOrRejectedWhileLeadersAreKilledAgainAndAgain() throws Exception {
        Shop twoPhase = new Shop(cluster, "2PC");
        Shop threePhase = new Shop(cluster, "3PC");
        Shop.Stock stockBefore = twoPhase.stock("WIDGET");
        Shop.Funds fundsBefore = twoPhase.funds("alice");
        Map<String, String> placed = new ConcurrentHashMap<>();
        AtomicInteger notPlaced = new AtomicInteger();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger kills = new AtomicInteger();
        List<Long> failoverMs = new CopyOnWriteArrayList<>();

        // given two customers ordering, one with 2PC and one with 3PC
        ExecutorService clients = Executors.newFixedThreadPool(2);
        List<Future<?>> ordering = List.of(twoPhase, threePhase).stream().map(shop -> clients.submit(() -> {
            // at least ORDERS orders, and as many more as it takes for every kill to happen while orders flow
            while (sent.incrementAndGet() <= ORDERS || kills.get() < KILLS) {
                Shop.Placed p = shop.order(shop == twoPhase ? "alice" : "bob", "WIDGET", 1);
                if (p.status() == 503) {
                    notPlaced.incrementAndGet(); // no leader for a while: nothing was done
                } else if (p.status() == 201 || p.status() == 202) {
                    placed.put(p.orderId(), p.outcome());
                } else {
                    unexpected.add(p.status() + " " + p.body());
                }
            }
        })).<Future<?>>map(f -> f).toList();

        // when the leader is killed five times while they order
        for (int kill = 0; kill < KILLS; kill++) {
            String leader = await().atMost(Duration.ofSeconds(60)).until(() -> currentLeader(null), l -> l != null);
            long killedAt = System.nanoTime();
            // the crash returns once the node's context has closed, seconds later: watch for the new leader meanwhile
            CompletableFuture<Void> crash = CompletableFuture.runAsync(() -> cluster.crash(leader));
            // the crashing node's threads die of its closed database: expected, not this wait's failure
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60))
                    .until(() -> currentLeader(leader), l -> l != null);
            failoverMs.add((System.nanoTime() - killedAt) / 1_000_000);
            crash.join();
            cluster.start(leader);
            kills.incrementAndGet();
        }
        for (Future<?> f : ordering) {
            f.get();
        }
        clients.shutdown();
        log.info("failover under load: {} kills, new leader after {} ms; {} orders placed, {} refused with 503",
                failoverMs.size(), failoverMs, placed.size(), notPlaced.get());

        // then every order was placed (201, 202) or refused as not placed (503), nothing else
        assertThat(unexpected).as("answers other than 201, 202 and 503").isEmpty();
        // and every placed order ends CONFIRMED or REJECTED, and no branch is left in doubt
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            for (String orderId : placed.keySet()) {
                JsonNode order = ServiceContract.json(cluster.node("order"), "/orders/" + orderId);
                assertThat(order.path("status").asString()).as(orderId).isIn("CONFIRMED", "REJECTED");
            }
        });
        twoPhase.awaitNoBranchInDoubt();
        assertThat(failoverMs).hasSize(KILLS);
        assertThat(placed.size() + notPlaced.get()).isGreaterThanOrEqualTo(ORDERS);

        // and the invariants hold and the audit finds nothing mixed
        JsonNode audit = twoPhase.audit();
        assertThat(audit.path("mixedOutcomes")).as(audit.toString()).isEmpty();
        assertThat(audit.path("againstDecision")).as(audit.toString()).isEmpty();
        assertThat(audit.path("consistent").asBoolean()).as(audit.toString()).isTrue();
        assertThat(twoPhase.stock("WIDGET").total()).isEqualTo(stockBefore.total());
        assertThat(twoPhase.funds("alice").total()).isEqualByComparingTo(fundsBefore.total());
    }

    /** The coordinator that leads with a valid lease and has caught up, other than {@code crashed}; null if none. */
    private String currentLeader(String crashed) {
        for (String id : COORDINATORS) {
            if (!id.equals(crashed) && cluster.node(id).isRunning()) {
                // without the peers' pings, which wait on a peer that is still closing
                JsonNode view = ServiceContract.json(cluster.node(id), "/cluster?peers=false");
                if (view.path("leaseValid").asBoolean() && view.path("caughtUp").asBoolean()) {
                    return id;
                }
            }
        }
        return null;
    }
}
