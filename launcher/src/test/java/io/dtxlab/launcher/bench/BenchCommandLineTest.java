package io.dtxlab.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.launcher.Dtx;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandLineTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Dtx.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setOut(new PrintWriter(new StringWriter(), true));
        return commandLine.execute(args);
    }

    @Test
    void wrongOptionsAreUsageErrorsThatNameTheProblem() {
        assertThat(run("bench", "orders", "--protocol", "4PC", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown protocol '4PC'");
        assertThat(run("bench", "orders", "--protocol", "2PC=0.5,3PC=x", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(run("bench", "orders", "--duration", "5 days", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--duration", "not a duration");
        assertThat(run("bench", "orders", "--hot", "1.5", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(run("bench", "kv", "--mode", "FAST", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("SYNC, SEMI_SYNC or ASYNC");
        assertThat(run("bench", "quorum", "--r", "0", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(run("bench", "kv", "--read-fraction", "2", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(run("bench", "orders", "--concurrency", "0", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(run("bench", "compare", "bogus", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(run("bench", "compare", "quorum", "--quorums", "2-2,1/1", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("R/W pairs");
        assertThat(run("bench", "compare", "kv", "--modes", "SYNC", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(run("bench", "quorum", "--url", "http://h:1", "--data-dir", dir.toString())).isEqualTo(2);
        assertThat(run("seed", "--customers", "-1", "--data-dir", dir.toString())).isEqualTo(2);
    }

    @Test
    void withoutACluster_theBenchSaysWhereTheTokenShouldComeFrom() {
        assertThat(run("bench", "orders", "--data-dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no admin token", "./dtx up", "--admin-token");
    }

    @Test
    void aClusterThatIsNotThereIsReportedNotMeasured() {
        // nothing listens 40,000 ports up
        assertThat(run("seed", "--url", "http://127.0.0.1", "--port-offset", "40000", "--timeout", "2s",
                "--data-dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("seeding inventory failed");
        assertThat(run("bench", "kv", "--url", "http://127.0.0.1", "--port-offset", "40000", "--duration", "1s",
                "--data-dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no replica names a master");
    }
}
