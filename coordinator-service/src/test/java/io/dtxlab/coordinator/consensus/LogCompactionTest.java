package io.dtxlab.coordinator.consensus;

import static io.dtxlab.coordinator.consensus.ConsensusNodes.COORDINATORS;
import static io.dtxlab.coordinator.consensus.ConsensusNodes.driver;
import static io.dtxlab.coordinator.consensus.ConsensusNodes.leader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.contract.BranchSpec;
import io.dtxlab.coordinator.CoordinatorApplication;
import io.dtxlab.coordinator.log.LogEntry;
import io.dtxlab.coordinator.log.LogReceipt;
import io.dtxlab.coordinator.log.LoggedTransaction;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

/**
 * Three coordinators over real HTTP and H2, with a short log (20 slots kept below the applied point, compaction
 * every 10): a restart replays only the slots after the applied point, the Paxos log is compacted, and a coordinator
 * stopped while the others choose and compact many records comes back by snapshot with the same transactions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogCompactionTest {

    private static final Logger log = LoggerFactory.getLogger(LogCompactionTest.class);
    private static final long RETENTION = 20;
    private static final long INTERVAL = 10;

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> nodes
            .node("coordinator-1", CoordinatorApplication.class)
            .node("coordinator-2", CoordinatorApplication.class)
            .node("coordinator-3", CoordinatorApplication.class)
            .property("dtx.coordinator.consensus.log-retention", String.valueOf(RETENTION))
            .property("dtx.coordinator.consensus.compaction-interval", String.valueOf(INTERVAL))
            .withoutKafka());

    final LabCluster cluster = lab.cluster();
    private static final List<String> xids = new ArrayList<>();

    String follower(String leader) {
        return COORDINATORS.stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
    }

    /** Logs {@code count} finished transactions (BEGIN, DECISION, END: three records each) through the leader. */
    long logTransactions(String leader, String prefix, int count) throws Exception {
        LabNode node = cluster.node(leader);
        ObjectMapper json = node.bean(ObjectMapper.class);
        TransactionLog txLog = node.bean(TransactionLog.class);
        long last = 0;
        for (int i = 0; i < count; i++) {
            String xid = prefix + "-" + i;
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            LoggedTransaction t = new LoggedTransaction(xid, "2PC", leader, 1, List.of(
                    new BranchSpec("order", json.readTree("{\"sku\":\"book-" + i + "\",\"quantity\":1}")),
                    new BranchSpec("payment", json.readTree("{\"amount\":" + (10 + i) + "}"))), at, null, null,
                    Map.of(), null, null, null);
            List<CompletableFuture<LogReceipt>> receipts = txLog.append(List.of(LogEntry.begin(t),
                    LogEntry.decision(xid, i % 3 == 0 ? "ABORT" : "COMMIT", "test", Map.of("order", "YES",
                            "payment", i % 3 == 0 ? "NO: declined" : "YES"), at),
                    LogEntry.end(xid, at)));
            for (CompletableFuture<LogReceipt> r : receipts) {
                last = Math.max(last, r.get(30, TimeUnit.SECONDS).slot());
            }
            xids.add(xid);
        }
        return last;
    }

    void awaitApplied(String id, long slot) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(driver(cluster.node(id)).appliedThrough()).isGreaterThanOrEqualTo(slot));
    }

    @Test
    @Order(1)
    void aRestartReplaysOnlyTheSlotsAfterTheAppliedPointAndTheLogIsCompactedBelowIt() throws Exception {
        String leader = leader(cluster);
        long last = logTransactions(leader, "replay", 30);
        COORDINATORS.forEach(id -> awaitApplied(id, last));
        String follower = follower(leader);
        // the Paxos log keeps at most the retention plus one interval below the applied point (and what follows it)
        for (String id : COORDINATORS) {
            FilePaxosStorage storage = cluster.node(id).bean(FilePaxosStorage.class);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(storage.compactedThrough()).as(id + " compacted through").isGreaterThanOrEqualTo(
                        last - RETENTION - INTERVAL);
                assertThat((long) storage.chosen().size()).as(id + " chosen values kept").isLessThanOrEqualTo(
                        RETENTION + INTERVAL);
            });
        }

        cluster.crash(follower);
        cluster.start(follower);

        PaxosDriver restarted = driver(cluster.node(follower));
        log.info("{} restarted with {} slots chosen: it replayed {} slots from its log (its transaction table held "
                + "slots up to {}); without the applied point it would have replayed all {}", follower, last,
                restarted.replayedAtStart(), restarted.appliedThrough(), last);
        assertThat(restarted.replayedAtStart()).as("slots replayed after the applied point").isZero();
        assertThat(restarted.appliedThrough()).isEqualTo(last);
        TransactionLog txLog = cluster.node(follower).bean(TransactionLog.class);
        assertThat(xids).allSatisfy(xid -> assertThat(txLog.find(xid)).isPresent());
    }

    @Test
    @Order(2)
    void aFollowerStoppedWhileTheOthersCompactCatchesUpBySnapshotAndShowsTheSameTransactions() throws Exception {
        String leader = leader(cluster);
        String follower = follower(leader);
        long stoppedAt = driver(cluster.node(follower)).appliedThrough();
        cluster.stop(follower);

        long last = logTransactions(leader, "snapshot", 60);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                cluster.node(leader).bean(FilePaxosStorage.class).compactedThrough()).isGreaterThan(stoppedAt + 1));

        cluster.start(follower);
        awaitApplied(follower, last);

        MeterRegistry followerMeters = cluster.node(follower).bean(MeterRegistry.class);
        MeterRegistry leaderMeters = cluster.node(leader).bean(MeterRegistry.class);
        assertThat(followerMeters.get("dtx.paxos.snapshots").tag("direction", "installed").counter().count())
                .isGreaterThanOrEqualTo(1);
        DistributionSummary sizes = leaderMeters.get("dtx.paxos.snapshot.bytes").summary();
        assertThat(sizes.count()).isGreaterThanOrEqualTo(1);
        log.info("{} was stopped at slot {}, the leader compacted through {} and chose up to {}: {} snapshot(s) sent, "
                + "largest {} bytes for {} transactions ({} bytes per transaction)", follower, stoppedAt,
                cluster.node(leader).bean(FilePaxosStorage.class).compactedThrough(), last, sizes.count(),
                (long) sizes.max(), xids.size(), (long) sizes.max() / xids.size());

        // the same transactions, row for row, in the log and over HTTP
        TransactionLog mine = cluster.node(follower).bean(TransactionLog.class);
        TransactionLog theirs = cluster.node(leader).bean(TransactionLog.class);
        assertThat(mine.recent(1000)).hasSize(xids.size()).isEqualTo(theirs.recent(1000));
        for (String xid : List.of(xids.get(0), xids.get(xids.size() - 1))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> view = cluster.node(follower).http().get().uri("/transactions/{xid}", xid).retrieve()
                    .body(Map.class);
            assertThat(view).containsEntry("xid", xid).containsEntry("state", "ENDED");
            assertThat(view.get("decision")).isEqualTo(theirs.find(xid).orElseThrow().decision());
        }

        // and it goes on applying chosen records after the snapshot
        long more = logTransactions(leader, "after", 3);
        awaitApplied(follower, more);
        assertThat(mine.find("after-2")).isPresent();
    }
}
