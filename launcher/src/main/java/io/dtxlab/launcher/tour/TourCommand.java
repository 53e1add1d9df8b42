package io.dtxlab.launcher.tour;

import io.dtxlab.bench.Http;
import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.control.RunningCluster;
import io.dtxlab.launcher.workspace.DataDirOption;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./dtx tour}: the README's stories, told against the running cluster. Exit code 0 when no story failed
 * (a skipped one says what it needs and does not fail the tour), {@value #FAILED} when one did.
 */
@Command(name = "tour", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the README's stories against the cluster ./dtx up runs: each step prints its narration, "
                + "the equivalent curl (or ./dtx) command and the essential part of the answer, captures the ids later "
                + "steps need, and pauses for Enter. Each story ends with PASS, FAIL (what was expected, what came) or "
                + "SKIP (what it needs), and leaves the cluster whole: crashed nodes restarted, partitions healed, "
                + "faults cleared, replication settings put back.",
                "Exit code 3 when a story failed."})
public final class TourCommand implements Callable<Integer> {

    static final int FAILED = 3;

    /** Orders in a story may wait for a coordinator that died; the order service answers 202 well within this. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    @Parameters(paramLabel = "STORY", arity = "0..*", description = "The stories to run, in this order (default: all; "
            + "see --list).")
    List<String> names;

    @Option(names = "--list", description = "List the stories, each with its claim, and exit.")
    boolean list;

    @Option(names = "--no-pause", description = "Do not wait for Enter between steps (for scripts).")
    boolean noPause;

    @Option(names = "--port-offset", paramLabel = "K",
            description = "The port offset ./dtx up was started with; read from the data directory (this only checks it).")
    Integer portOffset;

    @Mixin
    DataDirOption dataDir;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (list) {
            Stories.listing().forEach(out::println);
            return 0;
        }
        List<Story> stories = select(names);
        RunningCluster cluster = RunningCluster.of(dataDir.workspace(), "the tour");
        if (portOffset != null && portOffset != cluster.topology().portOffset()) {
            throw new UserError("the cluster of " + cluster.workspace().root() + " runs with --port-offset "
                    + cluster.topology().portOffset() + ", not " + portOffset + "; give the --data-dir (or "
                    + "DTX_DATA_DIR) of the cluster you mean", UserError.USAGE);
        }
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss", Locale.ROOT));
        try (Http http = new Http(REQUEST_TIMEOUT, cluster.tokens().admin())) {
            TourRunner runner = new TourRunner(cluster, cluster.control(http), http, out,
                    noPause ? () -> { } : new EnterPause(out), runId);
            // Ctrl-C in the middle of a story (a paused step, say) must not leave a node down or a partition up.
            Thread tidy = new Thread(runner::tidyUp, "tour-tidy-up");
            Runtime.getRuntime().addShutdownHook(tidy);
            long start = System.nanoTime();
            List<TourRunner.Result> results = runner.run(stories);
            Runtime.getRuntime().removeShutdownHook(tidy);
            summary(out, results, Duration.ofNanos(System.nanoTime() - start));
            return results.stream().anyMatch(r -> r.verdict() == TourRunner.Verdict.FAIL) ? FAILED : 0;
        }
    }

    static List<Story> select(List<String> names) {
        try {
            return Stories.select(names);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), UserError.USAGE);
        }
    }

    static void summary(PrintStream out, List<TourRunner.Result> results, Duration took) {
        out.println();
        long passed = results.stream().filter(r -> r.verdict() == TourRunner.Verdict.PASS).count();
        long failed = results.stream().filter(r -> r.verdict() == TourRunner.Verdict.FAIL).count();
        long skipped = results.stream().filter(r -> r.verdict() == TourRunner.Verdict.SKIP).count();
        out.println("== tour: " + results.size() + (results.size() == 1 ? " story: " : " stories: ") + passed
                + " PASS, " + failed + " FAIL, " + skipped + " SKIP in " + took.toSeconds() + " s");
        int width = results.stream().mapToInt(r -> r.story().length()).max().orElse(0);
        for (TourRunner.Result result : results) {
            out.println(String.format(Locale.ROOT, "%-4s  %-" + width + "s  %4d s  %s", result.verdict(), result.story(),
                    result.took().toSeconds(), result.detail()));
        }
    }

    /** Waits for Enter; once the input has ended (no terminal), never again. */
    private static final class EnterPause implements TourRunner.Pause {

        private final PrintStream out;
        private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        private boolean ended;

        EnterPause(PrintStream out) {
            this.out = out;
        }

        @Override
        public void await() {
            if (ended) {
                return;
            }
            out.print("      (Enter: next step) ");
            out.flush();
            try {
                ended = in.readLine() == null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
