package io.dtxlab.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dtxlab.bench.Http;
import io.dtxlab.chaos.check.LinearizableRegisterChecker;
import io.dtxlab.chaos.history.HistoryRecorder;
import io.dtxlab.chaos.history.Operation;
import io.dtxlab.chaos.workload.FakeCluster.Reply;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SYNC master-slave as registers: writes and reads on the believed master, and what each answer records. */
class RegisterWorkloadTest {

    private final FakeCluster cluster = new FakeCluster("replica-1", "replica-2", "replica-3");
    private final Http http = FakeCluster.http(Duration.ofSeconds(2));
    private final HistoryRecorder history = new HistoryRecorder(new StringWriter(), System::nanoTime);
    private final AtomicReference<String> mode = new AtomicReference<>("ASYNC");

    @AfterEach
    void close() {
        http.close();
        cluster.close();
    }

    @Test
    void prepareSwitchesTheMasterToSyncAndWaitsForTheSlaves() {
        masterIs("replica-1", 1);
        cluster.on("replica-1", "PUT", "/admin/replication/settings", request -> {
            mode.set("SYNC");
            return Reply.json(200, Map.of("mode", "SYNC"));
        });
        RegisterWorkload register = new RegisterWorkload(cluster.targets(), http, 1);

        register.prepare();

        FakeCluster.Request put = cluster.requests("replica-1", "PUT", "/admin/replication/settings").get(0);
        assertThat(put.body()).isEqualTo("{\"mode\":\"SYNC\"}");
        assertThat(put.header("X-Admin-Token")).isEqualTo("admin-token");
        assertThat(register.keys()).hasSize(RegisterWorkload.KEYS).allMatch(k -> k.matches("[A-Za-z0-9._:-]+"));
    }

    @Test
    void aWriteGoesToTheMasterAndItsReceiptIsOk() {
        masterIs("replica-2", 2);
        cluster.on("replica-2", "PUT", "/kv/k1", Reply.json(200, Map.of("index", 5, "epoch", 2)));
        RegisterWorkload register = new RegisterWorkload(cluster.targets(), http, 1);

        register.write("c1", history, "k1", "c1-1");

        Operation op = only();
        assertThat(op.ok()).isTrue();
        assertThat(op.request()).isEqualTo(TextNode.valueOf("c1-1"));
        assertThat(op.response().path("index").asInt()).isEqualTo(5);
        assertThat(cluster.requests("replica-2", "PUT", "/kv/k1").get(0).body()).isEqualTo("{\"value\":\"c1-1\"}");
    }

    @Test
    void aWriteRefusedByTheModeIsAFailAndTheMasterIsAskedAgain() {
        masterIs("replica-1", 1);
        cluster.on("replica-1", "PUT", "/kv/k1", Reply.problem(503, MasterSlave.WRITES_REFUSED, Map.of("master",
                "replica-1", "mode", "SYNC", "syncFailure", "REJECT")));
        RegisterWorkload register = new RegisterWorkload(cluster.targets(), http, 1);

        register.write("c1", history, "k1", "c1-1");

        assertThat(only().failed()).isTrue();
        // once to learn the master, once again after the refusal: each time until a majority (2 of 3) answered,
        // while the third question may still be on its way
        int asked = List.of("replica-1", "replica-2", "replica-3").stream()
                .mapToInt(replica -> cluster.requests(replica, "GET", "/replication/status").size()).sum();
        assertThat(asked).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aWriteUndoneAfterReplicatingIsInfo() {
        masterIs("replica-1", 1);
        cluster.on("replica-1", "PUT", "/kv/k1", Reply.problem(503, MasterSlave.WRITES_REFUSED, Map.of("master",
                "replica-1", "index", 8, "failed", List.of("replica-3"))));

        new RegisterWorkload(cluster.targets(), http, 1).write("c1", history, "k1", "c1-1");

        assertThat(only().unknown()).isTrue();
        assertThat(only().completion().error()).startsWith("503 canned");
    }

    @Test
    void aWriteToAMasterThatRefusesConnectionsIsAFail() {
        // replica-1 is down: the others still name it
        try (FakeCluster others = new FakeCluster("replica-2", "replica-3")) {
            others.on("replica-2", "GET", "/replication/status", status("replica-2", "SLAVE", "replica-1", 1));
            others.on("replica-3", "GET", "/replication/status", status("replica-3", "SLAVE", "replica-1", 1));

            new RegisterWorkload(others.targets("replica-1"), http, 1).write("c1", history, "k1", "c1-1");
        }

        assertThat(only().failed()).isTrue();
        assertThat(only().completion().error()).startsWith("connection refused");
    }

    @Test
    void aReadFromTheMasterIsOkAndFromASlaveIsInfo() {
        masterIs("replica-1", 1);
        cluster.on("replica-1", "GET", "/kv/k1", Reply.json(200, Map.of("value", "c2-4", "role", "MASTER",
                "node", "replica-1", "epoch", 1)));
        RegisterWorkload register = new RegisterWorkload(cluster.targets(), http, 1);

        register.read("c1", history, "k1");
        cluster.on("replica-1", "GET", "/kv/k1", Reply.json(200, Map.of("value", "c2-3", "role", "SLAVE",
                "node", "replica-1", "epoch", 2)));
        register.read("c1", history, "k1");

        List<Operation> ops = history.history().operations();
        assertThat(ops.get(0).ok()).isTrue();
        assertThat(ops.get(0).response()).isEqualTo(TextNode.valueOf("c2-4"));
        assertThat(ops.get(1).unknown()).isTrue();
    }

    @Test
    void aReadOfNoValueIsOkOnlyWhileTheReplicaStillLeadsTheEpoch() {
        masterIs("replica-1", 1);
        cluster.on("replica-1", "GET", "/kv/k1", Reply.problem(404, MasterSlave.NO_SUCH_KEY, Map.of("node",
                "replica-1")));
        RegisterWorkload register = new RegisterWorkload(cluster.targets(), http, 1);

        register.read("c1", history, "k1");
        cluster.on("replica-1", "GET", "/replication/status", status("replica-1", "SLAVE", "replica-2", 2));
        register.read("c1", history, "k1");

        List<Operation> ops = history.history().operations();
        assertThat(ops.get(0).ok()).isTrue();
        assertThat(ops.get(0).response()).isEqualTo(NullNode.getInstance());
        assertThat(ops.get(1).unknown()).isTrue();
    }

    @Test
    void theClientsWriteUniqueValuesAndTheHistoryIsJudgedLinearizable() {
        masterIs("replica-1", 1);
        Map<String, String> values = new ConcurrentHashMap<>();
        RegisterWorkload register = new RegisterWorkload(cluster.targets(), http, 3);
        for (String key : register.keys()) {
            cluster.on("replica-1", "PUT", "/kv/" + key, request -> {
                values.put(key, Http.json().readTree(request.body()).path("value").asText());
                return Reply.json(200, Map.of("index", 1, "epoch", 1));
            });
            cluster.on("replica-1", "GET", "/kv/" + key, request -> values.containsKey(key)
                    ? Reply.json(200, Map.of("value", values.get(key), "role", "MASTER", "epoch", 1))
                    : Reply.problem(404, MasterSlave.NO_SUCH_KEY, Map.of()));
        }

        register.client("c7", history, ClientsTest.until(history, 8));

        List<Operation> ops = history.history().operations();
        assertThat(ops).hasSize(8).allMatch(Operation::ok);
        assertThat(ops.stream().filter(op -> op.f().equals("write")).map(op -> op.request().asText()))
                .doesNotHaveDuplicates().allMatch(v -> v.startsWith("c7-"));
        assertThat(register.checkers(Duration.ZERO)).singleElement()
                .isInstanceOf(LinearizableRegisterChecker.class)
                .satisfies(checker -> assertThat(checker.check(history.history()).valid()).isTrue());
    }

    private Operation only() {
        assertThat(history.history().operations()).hasSize(1);
        return history.history().operations().get(0);
    }

    private void masterIs(String master, long epoch) {
        for (String replica : List.of("replica-1", "replica-2", "replica-3")) {
            cluster.on(replica, "GET", "/replication/status", request -> Reply.json(200, Map.of("node", replica,
                    "role", replica.equals(master) ? "MASTER" : "SLAVE", "master", master, "epoch", epoch,
                    "settings", Map.of("mode", mode.get()), "writes", "accepted", "appliedIndex", 40)));
        }
    }

    private static Reply status(String node, String role, String master, long epoch) {
        return Reply.json(200, Map.of("node", node, "role", role, "master", master, "epoch", epoch));
    }
}
