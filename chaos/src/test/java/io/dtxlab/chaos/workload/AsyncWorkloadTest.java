package io.dtxlab.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.bench.Http;
import io.dtxlab.chaos.check.LostWritesChecker;
import io.dtxlab.chaos.check.ReplicationSnapshot;
import io.dtxlab.chaos.check.Verdict;
import io.dtxlab.chaos.history.HistoryRecorder;
import io.dtxlab.chaos.history.Operation;
import io.dtxlab.chaos.workload.FakeCluster.Reply;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ASYNC master-slave: the run's writes, then the surviving log and the ledger of the run's keys. */
class AsyncWorkloadTest {

    private final FakeCluster cluster = new FakeCluster("replica-1", "replica-2", "replica-3");
    private final Http http = FakeCluster.http(Duration.ofSeconds(2));
    private final HistoryRecorder history = new HistoryRecorder(new StringWriter(), System::nanoTime);
    private final AtomicReference<String> master = new AtomicReference<>("replica-1");
    private final AtomicReference<String> mode = new AtomicReference<>("SYNC");
    private AsyncWorkload async;

    @BeforeEach
    void cluster() {
        for (String replica : List.of("replica-1", "replica-2", "replica-3")) {
            cluster.on(replica, "GET", "/replication/status", request -> Reply.json(200, Map.of("node", replica,
                    "role", replica.equals(master.get()) ? "MASTER" : "SLAVE", "master", master.get(), "epoch",
                    master.get().equals("replica-1") ? 1 : 2, "settings", Map.of("mode", mode.get()), "writes",
                    "accepted", "appliedIndex", 40)));
        }
        cluster.on("replica-1", "PUT", "/admin/replication/settings", request -> {
            mode.set("ASYNC");
            return Reply.json(200, Map.of("mode", "ASYNC"));
        });
        async = new AsyncWorkload(cluster.targets(), http, 5, "cluster-token");
    }

    @AfterEach
    void close() {
        http.close();
        cluster.close();
    }

    @Test
    void theSurvivingLogAndTheLedgerOfTheRunsKeysAreGatheredFromTheNewMaster() {
        async.prepare();
        String k1 = async.keys().get(0);
        String k2 = async.keys().get(1);
        cluster.on("replica-1", "PUT", "/kv/" + k1, Reply.json(200, Map.of("index", 41, "epoch", 1)));
        cluster.on("replica-1", "PUT", "/kv/" + k2, Reply.json(200, Map.of("index", 42, "epoch", 1)));
        async.write("c1", history, k1, "c1-1");
        async.write("c1", history, k2, "c1-2");
        // replica-1 is deposed; replica-2 kept index 41 and lost 42, which replica-1 reported when it rejoined
        master.set("replica-2");
        cluster.on("replica-2", "GET", "/replication/lost-writes", Reply.json(200, Map.of(
                "lostWrites", List.of(lost(1, 42, k2, "c1-2"), lost(1, 7, "someone-elses", "x")),
                "unreconciled", List.of(Map.of("epoch", 1, "note", "an old failover, before the run")))));
        cluster.on("replica-2", "GET", "/internal/replication/entries", request -> Reply.json(200, List.of(
                entry(41, 1, k1, "c1-1"), entry(42, 2, "someone-elses", "y"))));

        ReplicationSnapshot snapshot = async.snapshot(Duration.ofSeconds(5));

        assertThat(snapshot.survivingLog()).extracting(ReplicationSnapshot.LogEntry::key).containsExactly(k1);
        assertThat(snapshot.ledger()).extracting(ReplicationSnapshot.LostWrite::key).containsExactly(k2);
        assertThat(snapshot.unreconciled()).isEmpty();
        FakeCluster.Request read = cluster.requests("replica-2", "GET", "/internal/replication/entries").get(0);
        assertThat(read.query()).isEqualTo("from=41&limit=" + AsyncWorkload.PAGE);
        assertThat(read.header(AsyncWorkload.CLUSTER_TOKEN)).isEqualTo("cluster-token");
        Verdict verdict = new LostWritesChecker(snapshot).check(history.history());
        assertThat(verdict.valid()).as(verdict.describe()).isTrue();
    }

    @Test
    void aFailoverOfTheRunStillUnreconciledIsPassedOn() {
        async.prepare();
        master.set("replica-2");
        cluster.on("replica-2", "GET", "/replication/lost-writes", Reply.json(200, Map.of("lostWrites", List.of(),
                "unreconciled", List.of(Map.of("epoch", 2, "note", "writes replica-1 made after index 40 are lost")))));
        cluster.on("replica-2", "GET", "/internal/replication/entries", Reply.json(200, List.of()));

        ReplicationSnapshot snapshot = async.snapshot(Duration.ZERO);

        assertThat(snapshot.unreconciled()).containsExactly("writes replica-1 made after index 40 are lost");
    }

    @Test
    void theClientsWriteUniqueValuesToTheMaster() {
        async.prepare();
        List<String> written = new CopyOnWriteArrayList<>();
        for (String key : async.keys()) {
            cluster.on("replica-1", "PUT", "/kv/" + key, request -> {
                written.add(request.body());
                return Reply.json(200, Map.of("index", 41, "epoch", 1));
            });
        }

        async.client("c2", history, ClientsTest.until(history, 4));

        assertThat(history.history().operations()).hasSize(4).allMatch(Operation::ok)
                .extracting(op -> op.request().asText()).containsExactly("c2-1", "c2-2", "c2-3", "c2-4");
        assertThat(written).hasSize(4);
        assertThat(cluster.requests("replica-1", "PUT", "/admin/replication/settings")).singleElement()
                .extracting(FakeCluster.Request::body).isEqualTo("{\"mode\":\"ASYNC\"}");
    }

    private static Map<String, Object> lost(long epoch, long index, String key, String value) {
        return Map.of("epoch", epoch, "index", index, "op", "PUT", "key", key, "value", value, "mode", "ASYNC");
    }

    private static Map<String, Object> entry(long index, long epoch, String key, String value) {
        return Map.of("index", index, "epoch", epoch, "op", "PUT", "key", key, "value", value, "mode", "ASYNC",
                "writtenAtMs", 1, "undone", false);
    }
}
