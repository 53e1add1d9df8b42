package io.dtxlab.launcher.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {

    @TempDir
    Path dir;

    private final ProgressLog log = new ProgressLog(new PrintStream(new ByteArrayOutputStream()));

    @Test
    void everyPortOfTheClusterIsCheckedKafkaIncluded() {
        assertThat(Preflight.ports(Topology.defaults()))
                .containsEntry(8082, "inventory").containsEntry(9092, "kafka").containsEntry(9093, "kafka controller")
                .hasSize(11);
    }

    @Test
    void aSecondLauncherOnTheSameDataDirIsRefused() throws Exception {
        // given: a live launcher (this very JVM) recorded for the data dir
        Workspace workspace = Workspace.at(dir);
        PidFile.of(ProcessHandle.current()).write(workspace.launcherPidFile());
        // then
        assertThatThrownBy(() -> Preflight.check(workspace, Topology.of(3, 30000), log))
                .isInstanceOf(UserError.class).hasMessageContaining("already running");
    }

    @Test
    void aTakenPortIsNamedWithItsNode() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            // given: a topology whose order node lands on the taken port
            int offset = socket.getLocalPort() - 8081;
            // then
            assertThatThrownBy(() -> Preflight.check(Workspace.at(dir), Topology.of(1, offset), log))
                    .isInstanceOf(UserError.class)
                    .hasMessageContaining("port " + socket.getLocalPort() + " (order) is already in use");
        }
    }

    @Test
    void stalePidFilesOfDeadProcessesAreCleared() throws Exception {
        // given
        Workspace workspace = Workspace.at(dir);
        new PidFile(Integer.MAX_VALUE - 1, Optional.empty()).write(workspace.pidFile("inventory"));
        new PidFile(Integer.MAX_VALUE - 1, Optional.empty()).write(workspace.launcherPidFile());
        // when
        Preflight.stopLeftovers(workspace, log);
        // then
        assertThat(Files.exists(workspace.pidFile("inventory"))).isFalse();
        assertThat(Files.exists(workspace.launcherPidFile())).isFalse();
    }
}
