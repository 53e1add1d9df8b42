package io.dtxlab.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DtxCommandLineTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Dtx.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void anUnknownNodeExitsWith2AndListsTheKnownOnes() {
        int exit = run("stop", "nosuchnode", "--data-dir", dir.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("'nosuchnode'", "inventory", "coordinator-3", "kafka");
    }

    @Test
    void stoppingKafkaExplainsThatItLivesInTheLauncher() {
        int exit = run("kill", "kafka", "--data-dir", dir.toString());

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("inside the launcher");
    }

    @Test
    void impossibleOptionsAreUsageErrors() {
        assertThat(run("up", "--replicas", "0", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("replicas");
        assertThat(run("up", "--port-offset", "many")).isEqualTo(2);
    }

    @Test
    void aTokenIsNotInventedWhereUpNeverRan() {
        assertThat(run("token", "admin", "--data-dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no admin token");
        assertThat(run("token", "root", "--data-dir", dir.toString())).isEqualTo(2);
    }

    @Test
    void statusSaysSoWhenNoClusterWasEverStartedThere() {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(run("status", "--data-dir", dir.toString())).isEqualTo(1);
        } finally {
            System.setOut(original);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("No cluster was ever started in " + dir);
    }

    @Test
    void startingANodeNeedsARunningLauncher() throws Exception {
        new io.dtxlab.launcher.workspace.ClusterSettings(3, 0)
                .save(io.dtxlab.launcher.workspace.Workspace.at(dir));

        assertThat(run("start", "inventory", "--data-dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("launcher is not running");
    }
}
