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
    void withAClassDataArchiveTheNodeRunsTheExtractedJarAndMapsTheArchive() {
        NodeLaunch launch = NodeLaunch.withArchive(Path.of("/data/cds/inventory-service/k/inventory-service-exec.jar"),
                Path.of("/data/cds/inventory-service/k/app.jsa"));

        List<String> command = spawner.command(launch);

        assertThat(command).containsSubsequence("-XX:SharedArchiveFile=/data/cds/inventory-service/k/app.jsa",
                "-Xshare:auto", "-Xmx192m", "-jar", "/data/cds/inventory-service/k/inventory-service-exec.jar");
        assertThat(command.get(command.size() - 1)).isEqualTo("/data/cds/inventory-service/k/inventory-service-exec.jar");
    }

    @Test
    void aTrainingRunNeedsNoPortNoKafkaAndNoRealData() {
        Map<String, String> env = spawner.trainingEnvironment(topology.node("replica-1").orElseThrow(), Path.of("/tmp/scratch"));

        assertThat(env).containsEntry("DTX_NODE_ID", "replica-1")
                .containsEntry("SERVER_PORT", "0")
                .containsEntry("DTX_DATA_DIR", "/tmp/scratch")
                .containsEntry("SPRING_KAFKA_BOOTSTRAP_SERVERS", "localhost:1")
                .containsEntry("DTX_SECURITY_CLUSTER_TOKEN", "cluster-secret");
    }

    @Test
    void extraNodeFlagsComeLastSoTheyWin() {
        List<String> flags = NodeJvm.flags("  -XX:TieredStopAtLevel=1   -Xmx384m ");

        assertThat(flags).endsWith("-XX:TieredStopAtLevel=1", "-Xmx384m");
        assertThat(NodeJvm.flags(null)).isEqualTo(NodeJvm.FLAGS);
    }
}
