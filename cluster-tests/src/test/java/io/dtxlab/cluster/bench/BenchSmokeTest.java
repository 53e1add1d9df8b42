package io.dtxlab.cluster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtxlab.bench.Bench;
import io.dtxlab.bench.BenchReport;
import io.dtxlab.bench.DataSet;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.KvWorkload;
import io.dtxlab.bench.LoopSpec;
import io.dtxlab.bench.OrdersWorkload;
import io.dtxlab.bench.PrometheusText;
import io.dtxlab.bench.ProtocolMix;
import io.dtxlab.bench.QuorumWorkload;
import io.dtxlab.bench.ReportWriter;
import io.dtxlab.bench.RestReport;
import io.dtxlab.bench.Seeder;
import io.dtxlab.bench.Targets;
import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.replica.ReplicaApplication;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.TestTokens;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bench engine against real services: a few seconds of each workload on one cluster (the shop with one
 * coordinator, and three replicas the kv and quorum runs share). It checks the report's shape, that the audit passes
 * and what each protocol costs in messages; never a speed.
 */
class BenchSmokeTest {

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> Shop.nodes(nodes, 1)
            .node("replica-1", ReplicaApplication.class)
            .node("replica-2", ReplicaApplication.class)
            .node("replica-3", ReplicaApplication.class)
            // a busy 2-core machine: generous timers, so the load does not lapse the lone coordinator's lease
            .property("dtx.coordinator.prepare-timeout", "20s")
            .property("dtx.coordinator.consensus.election-timeout", "5s")
            .property("dtx.coordinator.consensus.lease-duration", "4s")
            .property("dtx.coordinator.consensus.heartbeat-interval", "200ms")
            .property("dtx.coordinator.consensus.max-clock-drift", "100ms")
            .property("dtx.replication.replicate-timeout", "5s")
            .property("dtx.quorum.request-timeout", "10s")
            .property("dtx.replication.topic", "dtx.replication-log-" + UUID.randomUUID()));

    private static Bench bench;

    @BeforeAll
    static void targets() {
        Map<String, String> urls = new LinkedHashMap<>();
        for (LabNode node : lab.nodes()) {
            urls.put(node.id(), node.baseUrl());
        }
        bench = new Bench(new Targets(urls, TestTokens.ADMIN), System.err, false, Map.of(), Duration.ofSeconds(30));
        new Shop(lab.cluster()).awaitLeader();
    }

    private static Bench.RunSpec spec(Object workload, LoopSpec loop) {
        return new Bench.RunSpec(workload, loop, Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(20));
    }

    @Test
    void aProtocolMixOnASeededDataSetIsMeasuredAuditedAndCostsExactlyItsMessages() throws Exception {
        // given a seed through the admin endpoints: 20 customers, 5 SKUs, far more stock and money than a few
        // seconds of orders take, so nothing is refused (and NONE, which cannot undo, leaves nothing half done)
        Seeder.Spec seed = new Seeder.Spec(20, 5, 1_000_000, new BigDecimal("1000000.00"));
        OrdersWorkload.Spec orders = new OrdersWorkload.Spec(ProtocolMix.parse("2PC=0.4,3PC=0.3,NONE=0.3"),
                DataSet.seeded(20, 5), 0.1, 1, seed);
        Counts before = coordinatorCounts();

        // when the bench runs a closed loop for a few seconds
        BenchReport report = bench.run(spec(orders, LoopSpec.closed(4)));

        // then every order is counted once, under a known outcome, and every protocol of the mix ran
        assertShape(report, Set.of("CONFIRMED", "REJECTED", "PENDING", "UNAVAILABLE", "CLIENT_ERROR", "ERROR"));
        assertThat(report.workload()).isEqualTo("orders");
        assertThat(report.protocol()).isEqualTo("2PC=0.4,3PC=0.3,NONE=0.3");
        assertThat(report.prepared()).containsEntry("customers", 20).containsEntry("skus", 5);
        assertThat(report.outcomes()).containsKey("CONFIRMED");
        assertThat(report.outcomes().keySet()).as("nothing is refused").isSubsetOf("CONFIRMED", "PENDING");
        assertThat(report.serviceTimeMs()).isNull();
        assertThat(report.latencyByOperationMs()).containsOnlyKeys("2PC", "3PC", "NONE");

        // and the cluster is consistent: no mixed outcome, nothing half done, nothing in doubt
        assertThat(report.audit()).containsKeys("checkedTransactions", "mixedOutcomes", "halfDone", "inDoubt");
        assertThat(report.consistent()).as("%s", report.audit()).isTrue();
        assertThat(report.audit()).containsEntry("mixedOutcomes", 0).containsEntry("halfDone", 0L);

        // and each protocol costs its participant messages per transaction, 4n, 6n and 2n with n = 3. Counted from an
        // idle cluster to a settled one, the coordinator's counts are exact. The report's own ratio counts a finished
        // transaction and its messages at the same moment, but reads the two counters a moment apart in each scrape
        // taken while orders finish: a transaction that ends in between may tip each scrape by one.
        Map<String, Double> perTx = Map.of("2PC", 12.0, "3PC", 18.0, "NONE", 6.0);
        Counts after = settledCoordinatorCounts();
        perTx.forEach((protocol, messages) -> {
            double transactions = after.transactions(protocol) - before.transactions(protocol);
            assertThat(transactions).as("%s transactions", protocol).isPositive();
            assertThat(after.messages(protocol) - before.messages(protocol)).as("%s messages", protocol)
                    .isEqualTo(messages * transactions);
        });
        assertThat(report.messages()).containsKeys("participantMessagesPerTx", "consensusMessagesPerTx",
                "wireRequestsPerTx", "transactions", "transactionsByProtocol", "byProtocol");
        @SuppressWarnings("unchecked")
        Map<String, Long> decided = (Map<String, Long>) report.messages().get("transactionsByProtocol");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> byProtocol =
                (Map<String, Map<String, Object>>) report.messages().get("byProtocol");
        assertThat(byProtocol).containsOnlyKeys(perTx.keySet());
        perTx.forEach((protocol, messages) -> {
            double edge = 2 * messages / decided.get(protocol);
            assertThat((Double) byProtocol.get(protocol).get("participantMessagesPerTx")).as(protocol)
                    .isCloseTo(messages, within(edge + 0.001));
        });

        // and the report says where the orders' time went: the order service's begin lane, then each protocol's
        // phases at the coordinator (NONE has one, the apply)
        assertThat(report.stagesMs()).containsKeys("beginQueued", "beginAnswer", "coordinator");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Double>>> phases =
                (Map<String, Map<String, Map<String, Double>>>) report.stagesMs().get("coordinator");
        assertThat(phases).containsOnlyKeys(perTx.keySet());
        assertThat(phases.get("2PC")).containsKeys("voting", "commit");
        assertThat(phases.get("3PC")).containsKeys("voting", "commit");
        assertThat(phases.get("NONE")).containsOnlyKeys("apply");
        assertThat(phases.get("2PC").get("voting")).containsOnlyKeys("p50", "p99")
                .allSatisfy((q, ms) -> assertThat(ms).isNotNegative());
        // and how fast the host ran the bench's fixed loop before and after the run
        assertThat(report.machine().get("hostLoopMs")).asInstanceOf(MAP).containsOnlyKeys("before", "after")
                .allSatisfy((when, ms) -> assertThat((Double) ms).isPositive());

        // and leadership was watched over the window
        assertThat(report.leaderChanges()).containsKeys("max", "byCoordinator", "ballotBefore", "ballotAfter");
        @SuppressWarnings("unchecked")
        Map<String, Long> changes = (Map<String, Long>) report.leaderChanges().get("byCoordinator");
        assertThat(changes).containsOnlyKeys(Shop.COORDINATOR);
        assertThat(report.leaderChanges().get("max")).isInstanceOf(Long.class);
        assertThat(report.leaderChanges().get("ballotAfter")).isNotNull();
    }

    @Test
    void masterSlaveWritesAndReadsInAnOpenLoopAreMeasuredAndTheReplicasAgree() throws Exception {
        KvWorkload.Spec kv = new KvWorkload.Spec("SYNC", 0.5, 50, 64);

        BenchReport report = bench.run(spec(kv, LoopSpec.open(40, 32)));

        assertShape(report, Set.of("OK", "NOT_FOUND", "UNAVAILABLE", "CLIENT_ERROR", "ERROR"));
        assertThat(report.protocol()).isEqualTo("SYNC");
        assertThat(report.loop().type()).isEqualTo("open");
        assertThat(report.serviceTimeMs()).isNotNull();
        assertThat(report.serviceTimeMs().count()).isEqualTo(report.operations());
        assertThat(report.latencyByOperationMs()).containsKey("write");
        assertThat(report.messages()).containsKeys("wireRequestsPerWrite", "wireRequestsByKind");
        assertThat(report.audit().get("converged")).isEqualTo(true);
        assertThat(report.consistent()).as("%s", report.audit()).isTrue();
    }

    @Test
    void quorumReadsAndWritesAreMeasuredAndReadBack() throws Exception {
        QuorumWorkload.Spec quorum = new QuorumWorkload.Spec(2, 2, 0.5, 50, 64);

        BenchReport report = bench.run(spec(quorum, LoopSpec.closed(4)));

        assertShape(report, Set.of("OK", "NOT_FOUND", "UNAVAILABLE", "CLIENT_ERROR", "ERROR"));
        assertThat(report.protocol()).isEqualTo("R2W2");
        assertThat(report.audit()).containsKeys("keysChecked", "keysWithSiblings");
        assertThat(report.consistent()).as("%s", report.audit()).isTrue();
    }

    @Test
    void theClusterAtRestIsMeasuredPerNode() throws Exception {
        RestReport rest = bench.rest(Duration.ofSeconds(1));

        assertThat(rest.workload()).isEqualTo("rest");
        assertThat(rest.durationS()).isGreaterThanOrEqualTo(1.0);
        String[] nodes = lab.nodes().stream().map(LabNode::id).toArray(String[]::new);
        assertThat(rest.cpuSecondsByNode()).containsOnlyKeys(nodes);
        assertThat(rest.cpuPercentOfOneCoreByNode()).containsOnlyKeys(nodes);
        assertThat(rest.cpuPercentOfOneCoreByNode().values()).doesNotContainNull();
        assertThat(rest.totalPercentOfOneCore()).isNotNull();
        assertThat(rest.rssMbByNode().values()).allSatisfy(mb -> assertThat(mb).isNotNull().isPositive());
        assertThat(rest.leaderChanges()).containsKeys("max", "byCoordinator");
        assertThat(rest.text()).contains("total", Shop.COORDINATOR);
    }

    private static void assertShape(BenchReport report, Set<String> outcomes) throws Exception {
        System.err.println(ReportWriter.text(report));
        assertThat(report.operations()).isPositive();
        assertThat(report.outcomes().keySet()).isSubsetOf(outcomes);
        assertThat(report.outcomes().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(report.operations());
        assertThat(report.latencyMs().count()).isEqualTo(report.operations());
        assertThat(report.latencyByOutcomeMs().values().stream().mapToLong(s -> s.count()).sum())
                .isEqualTo(report.operations());
        assertThat(report.timeline()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(report.timeline().stream().mapToLong(p -> p.opsPerS()).sum()).isEqualTo(report.operations());
        // every node scraped: one JVM here, so each reports the same process's CPU
        assertThat(report.cpuSecondsByNode()).containsOnlyKeys(lab.nodes().stream().map(LabNode::id).toArray(String[]::new));
        assertThat(report.cpuSecondsByNode().values()).doesNotContainNull();
        assertThat(report.cpuMsPerOp()).isNotNull();
        assertThat(report.rssMbByNode()).containsOnlyKeys(report.cpuSecondsByNode().keySet());
        assertThat(report.rssMbByNode().values()).allSatisfy(mb -> assertThat(mb).isNotNull().isPositive());
        assertThat(report.notes()).noneMatch(n -> n.contains("not scraped"));
        if (Files.isDirectory(Path.of("/proc/self/task"))) {
            // Linux: every node says how long its threads waited for a core
            assertThat(report.cpuWaitSecondsByNode()).containsOnlyKeys(report.cpuSecondsByNode().keySet());
            assertThat(report.cpuWaitSecondsByNode().values()).allSatisfy(s -> assertThat(s).isNotNull().isNotNegative());
            assertThat(report.cpuWaitMsPerOp()).isNotNull().isNotNegative();
        }
        // Micrometer's JVM metrics on every node (allocation is counted at each collection: a short run may see none)
        assertThat(report.gcByNode()).containsOnlyKeys(report.cpuSecondsByNode().keySet());
        assertThat(report.gcByNode().values()).allSatisfy(gc -> {
            assertThat(gc.allocatedMb()).isNotNull().isNotNegative();
            assertThat(gc.pauses()).isNotNull().isNotNegative();
            assertThat(gc.pauseSeconds()).isNotNull().isNotNegative();
        });
        assertThat(report.audit()).containsKeys("consistent", "summary");
        JsonNode json = Http.json().readTree(ReportWriter.json(report));
        assertThat(json.fieldNames()).toIterable().contains("workload", "protocol", "loop", "durationS", "warmupS",
                "outcomes", "throughputPerS", "latencyMs", "latencyByOutcomeMs", "serviceTimeMs", "timeline", "messages",
                "stagesMs", "leaderChanges", "cpuMsPerOp", "cpuBusyPercent", "cpuWaitMsPerOp", "cpuSecondsByNode",
                "cpuWaitSecondsByNode", "rssMbByNode", "gcByNode", "audit", "startedAt", "machine");
    }

    /** The coordinator's finished transactions and their participant messages, by protocol, as it counts them. */
    private record Counts(Map<String, Double> transactionsByProtocol, Map<String, Double> messagesByProtocol) {
        double transactions(String protocol) {
            return transactionsByProtocol.getOrDefault(protocol, 0.0);
        }

        double messages(String protocol) {
            return messagesByProtocol.getOrDefault(protocol, 0.0);
        }
    }

    private static Counts coordinatorCounts() {
        PrometheusText metrics = coordinatorMetrics();
        return new Counts(metrics.sumBy("dtx_tx_ended_total", "protocol"),
                metrics.sumBy("dtx_tx_messages_total", "protocol"));
    }

    /**
     * The counts once nothing is in phase 1 or awaiting acknowledgements: a transaction's messages are counted
     * just before it leaves the coordinator's active set, which these gauges read.
     */
    private static Counts settledCoordinatorCounts() {
        Awaitility.await("the coordinator has finished every transaction").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    PrometheusText metrics = coordinatorMetrics();
                    assertThat(metrics.sum("dtx_tx_in_doubt")).hasValue(0);
                    assertThat(metrics.sum("dtx_tx_awaiting_ack")).hasValue(0);
                });
        return coordinatorCounts();
    }

    private static PrometheusText coordinatorMetrics() {
        return PrometheusText.parse(lab.node(Shop.COORDINATOR).http().get().uri("/actuator/prometheus").retrieve()
                .body(String.class));
    }
}
