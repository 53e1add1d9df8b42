package io.dtxlab.launcher.tour;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.launcher.Dtx;
import io.dtxlab.launcher.UserError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code ./dtx tour} accepts on its command line, and what it refuses before touching a cluster. */
class TourCommandTest {

    @Test
    void storiesAndOptionsParse() {
        TourCommand tour = new TourCommand();
        new CommandLine(tour).parseArgs("--no-pause", "--port-offset=1000", "2pc-commit", "sync");
        assertThat(tour.noPause).isTrue();
        assertThat(tour.portOffset).isEqualTo(1000);
        assertThat(TourCommand.select(tour.names)).extracting(Story::name).containsExactly("2pc-commit", "sync");
    }

    @Test
    void anUnknownStoryIsAUsageErrorBeforeAnyClusterIsLookedFor() {
        int exit = Dtx.commandLine().execute("tour", "--data-dir", "/nonexistent/dtx", "no-such-story");
        assertThat(exit).isEqualTo(UserError.USAGE);
    }

    @Test
    void listNamesEveryStoryWithoutACluster() {
        PrintStream before = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(Dtx.commandLine().execute("tour", "--list", "--data-dir", "/nonexistent/dtx")).isZero();
        } finally {
            System.setOut(before);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("2pc-blocking").contains("3pc-partition")
                .contains("hinted-handoff");
    }

    @Test
    void theSummaryCountsEachVerdictAndAFailureSaysWhatDiffered() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TourCommand.summary(new PrintStream(printed, true, StandardCharsets.UTF_8), List.of(
                new TourRunner.Result("2pc-commit", TourRunner.Verdict.PASS, "claim", Duration.ofSeconds(3)),
                new TourRunner.Result("sync", TourRunner.Verdict.FAIL, "step 6 (…): HTTP status: expected 503, actual 200",
                        Duration.ofSeconds(9)),
                new TourRunner.Result("hinted-handoff", TourRunner.Verdict.SKIP, "needs 4 replicas", Duration.ZERO)),
                Duration.ofSeconds(12));
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("== tour: 3 stories: 1 PASS, 1 FAIL, 1 SKIP in 12 s")
                .contains("FAIL  sync            ").contains("expected 503, actual 200");
    }
}
