package io.dtxlab.launcher.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node settings {@code up} passes on, kept for the nodes that other commands start later. */
class NodeEnvironmentTest {

    @TempDir
    Path data;

    @Test
    void theNodesSettingsAreKeptAndTheLaunchersOwnAreNot() {
        Map<String, String> shell = Map.of("DTX_REPLICATION_FAILOVER", "ELECT", "SPRING_PROFILES_ACTIVE", "demo",
                "DTX_DATA_DIR", "/elsewhere", "DTX_NO_BUILD", "1", "PATH", "/usr/bin", "HOME", "/root");

        assertThat(NodeEnvironment.of(shell)).containsOnlyKeys("DTX_REPLICATION_FAILOVER", "SPRING_PROFILES_ACTIVE");
    }

    @Test
    void whatUpKeptIsWhatALaterCommandReads() throws Exception {
        Workspace workspace = Workspace.at(data);
        assertThat(NodeEnvironment.load(workspace)).isEmpty();

        NodeEnvironment.save(workspace, Map.of("DTX_REPLICATION_FAILOVER", "ELECT", "DTX_NO_CDS", "1"));

        assertThat(NodeEnvironment.load(workspace)).containsExactlyEntriesOf(Map.of("DTX_REPLICATION_FAILOVER", "ELECT"));
    }
}
