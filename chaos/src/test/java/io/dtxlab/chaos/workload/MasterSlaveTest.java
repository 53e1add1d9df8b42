package io.dtxlab.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.bench.Http;
import io.dtxlab.chaos.workload.FakeCluster.Reply;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a master-slave write's answer says about the write, and who is master. */
class MasterSlaveTest {

    private final FakeCluster cluster = new FakeCluster("replica-1", "replica-2", "replica-3");
    private final Http http = FakeCluster.http(Duration.ofSeconds(2));

    @AfterEach
    void close() {
        http.close();
        cluster.close();
    }

    @Test
    void aReceiptIsOkAndRefusalsBeforeTheLogAreFails() {
        assertThat(MasterSlave.write(answer(Reply.json(200, Map.of("index", 7, "epoch", 1)))))
                .isInstanceOf(Outcome.Ok.class);
        // SYNC with REJECT while a slave is out of sync: refused by the plan, before the log
        assertThat(MasterSlave.write(refused(Map.of("master", "replica-1", "mode", "SYNC", "syncFailure",
                "REJECT")))).isInstanceOf(Outcome.Fail.class);
        // a master that does not hear a majority, relayed by the slave that forwarded the write
        assertThat(MasterSlave.write(refused(Map.of("master", "replica-1", "forwardedBy", "replica-2"))))
                .isInstanceOf(Outcome.Fail.class);
        // a slave that does not hear its master refuses before forwarding
        assertThat(MasterSlave.write(refused(Map.of("master", "replica-1", "failover", "WAIT"))))
                .isInstanceOf(Outcome.Fail.class);
        assertThat(MasterSlave.write(answer(Reply.problem(409, MasterSlave.NOT_MASTER, Map.of("master",
                "replica-2", "epoch", 3))))).isInstanceOf(Outcome.Fail.class);
        assertThat(MasterSlave.write(answer(Reply.problem(400, "urn:dtx:problem:validation", Map.of()))))
                .isInstanceOf(Outcome.Fail.class);
        assertThat(MasterSlave.write(new Http.Response(0, null, "connection refused: nobody there")))
                .isInstanceOf(Outcome.Fail.class);
    }

    @Test
    void refusalsAfterTheLogAndEverythingElseAreInfo() {
        // undone after slaves may have applied it
        assertThat(MasterSlave.write(refused(Map.of("master", "replica-1", "index", 9, "failed", "[replica-3]"))))
                .isInstanceOf(Outcome.Info.class);
        // deposed mid-write (or restarted, not yet confirmed)
        assertThat(MasterSlave.write(refused(Map.of("master", "replica-2", "epoch", 4))))
                .isInstanceOf(Outcome.Info.class);
        // a forward whose fate is unknown
        assertThat(MasterSlave.write(refused(Map.of("master", "replica-1", "outcome", "TIMEOUT"))))
                .isInstanceOf(Outcome.Info.class);
        assertThat(MasterSlave.write(answer(Reply.problem(503, "urn:dtx:problem:peer-unreachable", Map.of()))))
                .isInstanceOf(Outcome.Info.class);
        assertThat(MasterSlave.write(answer(Reply.problem(409, "urn:dtx:problem:stale-epoch", Map.of()))))
                .isInstanceOf(Outcome.Info.class);
        assertThat(MasterSlave.write(answer(new Reply(500, "oops")))).isInstanceOf(Outcome.Info.class);
        Outcome timeout = MasterSlave.write(new Http.Response(0, null, "timeout: Read timed out"));
        assertThat(timeout).isEqualTo(new Outcome.Info(null, "timeout: Read timed out"));
    }

    @Test
    void theMasterIsTheNewestEpochsThatAMajorityKnows() {
        // replica-1 is cut off and still believes it leads epoch 1; the others elected replica-2 in epoch 2
        status("replica-1", "MASTER", "replica-1", 1);
        status("replica-2", "MASTER", "replica-2", 2);
        status("replica-3", "SLAVE", "replica-2", 2);
        MasterSlave replicas = new MasterSlave(cluster.targets(), http);

        assertThat(replicas.find()).contains(new MasterSlave.Master("replica-2", 2));
    }

    @Test
    void noMasterWithoutAMajorityOfAnswers() {
        status("replica-1", "MASTER", "replica-1", 1);
        MasterSlave replicas = new MasterSlave(cluster.targets(), http);

        assertThat(replicas.find()).isEmpty();
    }

    @Test
    void switchingTheModeRefusesWhenNoMasterTakesIt() {
        status("replica-1", "MASTER", "replica-1", 1);
        status("replica-2", "SLAVE", "replica-1", 1);
        cluster.on("replica-1", "PUT", "/admin/replication/settings", Reply.problem(409, MasterSlave.NOT_MASTER,
                Map.of("master", "replica-2")));

        assertThatThrownBy(() -> new MasterSlave(cluster.targets(), http).switchMode("SYNC", Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot set the replication mode SYNC")
                .hasMessageContaining("replica-1: 409");
    }

    private void status(String node, String role, String master, long epoch) {
        cluster.on(node, "GET", "/replication/status", Reply.json(200, Map.of("node", node, "role", role, "master",
                master, "epoch", epoch)));
    }

    private Http.Response refused(Map<String, Object> members) {
        return answer(Reply.problem(503, MasterSlave.WRITES_REFUSED, new LinkedHashMap<>(members)));
    }

    /** The reply as the client receives it, through the fake server. */
    private Http.Response answer(Reply reply) {
        cluster.on("replica-1", "PUT", "/kv/k", reply);
        return http.put(cluster.targets().url("replica-1") + "/kv/k", Map.of("value", "v"));
    }
}
