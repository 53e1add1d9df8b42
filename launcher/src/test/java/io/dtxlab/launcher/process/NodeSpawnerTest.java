package io.dtxlab.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.workspace.RepoRoot;
import io.dtxlab.launcher.workspace.Tokens;
import io.dtxlab.launcher.workspace.Workspace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSpawnerTest {

    private final Topology topology = Topology.of(3, 1000);
    private final Workspace workspace = Workspace.at(Path.of("/tmp/lab-data"));
    private final NodeSpawner spawner = new NodeSpawner(RepoRoot.at(Path.of("/repo")), workspace, topology,
            new Tokens("cluster-secret", "admin-secret"));

    @Test
    void aNodeLearnsWhoItIsAndWhereEverythingIsFromItsEnvironment() {
        Map<String, String> env = spawner.environment(topology.node("coordinator-2").orElseThrow());

        assertThat(env).containsEntry("DTX_NODE_ID", "coordinator-2")
                .containsEntry("SERVER_PORT", "9092")
                .containsEntry("DTX_DATA_DIR", "/tmp/lab-data/coordinator-2")
                .containsEntry("DTX_CLUSTER_MEMBERS", topology.members("localhost"))
                .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "localhost:10092")
                .containsEntry("DTX_SECURITY_CLUSTER_TOKEN", "cluster-secret")
                .containsEntry("DTX_SECURITY_ADMIN_TOKEN", "admin-secret");
    }

    @Test
    void tokensNeverAppearOnTheCommandLine() {
        List<String> command = spawner.command(Path.of("/repo/inventory-service/target/inventory-service-exec.jar"));

        assertThat(String.join(" ", command)).doesNotContain("secret")
                .contains("-Xmx192m", "-jar /repo/inventory-service/target/inventory-service-exec.jar");
    }

    @Test
    void extraNodeFlagsComeLastSoTheyWin() {
        List<String> flags = NodeJvm.flags("  -XX:TieredStopAtLevel=1   -Xmx384m ");

        assertThat(flags).endsWith("-XX:TieredStopAtLevel=1", "-Xmx384m");
        assertThat(NodeJvm.flags(null)).isEqualTo(NodeJvm.FLAGS);
    }
}
