package io.dtxlab.cluster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtxlab.bench.Bench;
import io.dtxlab.bench.BenchReport;
import io.dtxlab.bench.DataSet;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.KvWorkload;
import io.dtxlab.bench.LoopSpec;
import io.dtxlab.bench.OrdersWorkload;
import io.dtxlab.bench.ProtocolMix;
import io.dtxlab.bench.QuorumWorkload;
import io.dtxlab.bench.ReportWriter;
import io.dtxlab.bench.Targets;
import io.dtxlab.cluster.shop.Shop;
import io.dtxlab.replica.ReplicaApplication;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.TestTokens;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The bench engine against real services: a few seconds of each workload. It checks the report's shape and that the
 * audit passes; never a speed.
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
    void ordersUnder2pcAreMeasuredAndAudited() throws Exception {
        // given a SKU with plenty of stock (the demo data: customer alice, and her 1000.00)
        lab.node("inventory").bean(JdbcTemplate.class).update("insert into stock (sku, unit_price, available, "
                + "reserved, sold, version) values ('BENCH', 1.00, 1000000, 0, 0, 0)");
        OrdersWorkload.Spec orders = new OrdersWorkload.Spec(ProtocolMix.parse("2PC"),
                new DataSet(List.of("alice"), List.of("BENCH", "WIDGET")), 0.1, 1, null);

        // when the bench runs a closed loop for a few seconds
        BenchReport report = bench.run(spec(orders, LoopSpec.closed(4)));

        // then every order is counted once, under a known outcome, and the cluster is consistent
        assertShape(report, Set.of("CONFIRMED", "REJECTED", "PENDING", "UNAVAILABLE", "CLIENT_ERROR", "ERROR"));
        assertThat(report.workload()).isEqualTo("orders");
        assertThat(report.protocol()).isEqualTo("2PC");
        assertThat(report.outcomes()).containsKey("CONFIRMED");
        assertThat(report.serviceTimeMs()).isNull();
        assertThat(report.latencyByOperationMs()).containsOnlyKeys("2PC");
        assertThat(report.messages()).containsKeys("participantMessagesPerTx", "consensusMessagesPerTx",
                "wireRequestsPerTx", "transactions");
        assertThat((Double) report.messages().get("participantMessagesPerTx")).isPositive();
        assertThat(report.audit()).containsKeys("checkedTransactions", "mixedOutcomes", "halfDone", "inDoubt");
        assertThat(report.consistent()).as("%s", report.audit()).isTrue();
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
        assertThat(report.notes()).noneMatch(n -> n.contains("not scraped"));
        assertThat(report.audit()).containsKeys("consistent", "summary");
        JsonNode json = Http.json().readTree(ReportWriter.json(report));
        assertThat(json.fieldNames()).toIterable().contains("workload", "protocol", "loop", "durationS", "warmupS",
                "outcomes", "throughputPerS", "latencyMs", "latencyByOutcomeMs", "serviceTimeMs", "timeline", "messages",
                "leaderChanges", "cpuMsPerOp", "cpuSecondsByNode", "rssMbByNode", "audit", "startedAt", "machine");
    }
}
