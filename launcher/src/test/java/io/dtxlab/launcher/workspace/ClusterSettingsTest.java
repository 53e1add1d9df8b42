package io.dtxlab.launcher.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.core.cluster.Topology;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSettingsTest {

    @TempDir
    Path dir;

    @Test
    void theSettingsOfUpAreRememberedForTheOtherCommands() throws Exception {
        Workspace workspace = Workspace.at(dir);
        new ClusterSettings(5, 20000).save(workspace);

        assertThat(ClusterSettings.load(workspace)).contains(new ClusterSettings(5, 20000));
        assertThat(ClusterSettings.topologyOf(workspace).kafkaPort()).isEqualTo(29092);
    }

    @Test
    void withoutAnUpTheDefaultTopologyApplies() {
        Workspace workspace = Workspace.at(dir);

        assertThat(ClusterSettings.load(workspace)).isEmpty();
        assertThat(ClusterSettings.topologyOf(workspace).nodes()).hasSize(Topology.defaults().nodes().size());
    }

    @Test
    void impossibleSettingsAreRejected() {
        assertThatThrownBy(() -> new ClusterSettings(0, 0)).hasMessageContaining("replicas");
    }

    @Test
    void hintsRepeatTheDataDirOnlyWhenItIsNotTheDefault() {
        assertThat(Workspace.at(Path.of("data")).dataDirArgument()).isEmpty();
        assertThat(Workspace.at(dir).dataDirArgument()).isEqualTo(" --data-dir " + dir.toAbsolutePath());
    }
}
