package io.dtxlab.launcher.tour;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shell commands the tour prints read as the README writes them. */
class CurlTest {

    @Test
    void aGetIsPlain() {
        assertThat(Curl.request("GET", 9091, "/cluster", null, false)).isEqualTo("curl -s localhost:9091/cluster");
    }

    @Test
    void aPostWithABodyNeedsNoMethod() {
        assertThat(Curl.request("POST", 8081, "/orders", "{\"customerId\":\"alice\"}", false))
                .isEqualTo("curl -s -H \"$JSON\" localhost:8081/orders -d '{\"customerId\":\"alice\"}'");
    }

    @Test
    void anAdminPutAndDeleteCarryTheToken() {
        assertThat(Curl.request("PUT", 8083, "/admin/partition", "{\"nodes\":[\"coordinator-1\"]}", true))
                .isEqualTo("curl -s -X PUT -H \"$ADMIN\" -H \"$JSON\" localhost:8083/admin/partition "
                        + "-d '{\"nodes\":[\"coordinator-1\"]}'");
        assertThat(Curl.request("DELETE", 8083, "/admin/partition", null, true))
                .isEqualTo("curl -s -X DELETE -H \"$ADMIN\" localhost:8083/admin/partition");
    }

    @Test
    void aQueryIsQuotedForTheShell() {
        assertThat(Curl.request("GET", 8071, "/quorum/kv/cart?r=3", null, false))
                .isEqualTo("curl -s 'localhost:8071/quorum/kv/cart?r=3'");
    }

    @Test
    void nodesAreKilledAndStartedWithTheLauncher() {
        assertThat(Curl.crash("coordinator-2", "")).isEqualTo("./dtx kill coordinator-2");
        assertThat(Curl.restart(List.of("coordinator-2"), " --data-dir /tmp/d"))
                .isEqualTo("./dtx start coordinator-2 --data-dir /tmp/d");
        assertThat(Curl.restart(List.of("coordinator-2", "coordinator-1"), ""))
                .isEqualTo("./dtx start coordinator-2 & ./dtx start coordinator-1 & wait");
    }

    @Test
    void capturedValuesReadAsShellVariables() {
        assertThat(Curl.assignment("newLeader", "coordinator-2")).isEqualTo("NEW_LEADER=coordinator-2");
        assertThat(Curl.assignment("merged", "{\"replica-1\":2}")).isEqualTo("MERGED='{\"replica-1\":2}'");
    }
}
