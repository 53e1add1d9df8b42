package io.dtxlab.launcher.bench;

import io.dtxlab.bench.Bench;
import io.dtxlab.bench.Durations;
import io.dtxlab.bench.LoopSpec;
import io.dtxlab.launcher.UserError;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How long and how hard to drive the cluster, and where the reports go. */
public final class LoadOptions {

    @Option(names = "--duration", paramLabel = "D", defaultValue = "30s",
            description = "The measured window, e.g. 30s, 2m, 500ms (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", paramLabel = "D", defaultValue = "5s",
            description = "Load before the window, discarded (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--concurrency", paramLabel = "C",
            description = "Closed loop: workers, each sending its next request when the last is answered (default 16). "
                    + "Open loop: the cap of requests in flight (default 256).")
    Integer concurrency;

    @Option(names = "--rate", paramLabel = "R",
            description = "Open loop at R requests/s: each request has an intended start, and its latency counts from "
                    + "then (corrected for coordinated omission). Without it: closed loop.")
    Double rate;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "30s",
            description = "A request not answered in D is an ERROR (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON report here.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Write the HTML report here (self-contained). Without --json and --html both go to "
                    + "<data>/bench/<time>-<workload>-<config>.{json,html}.")
    Path html;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    LoopSpec loop() {
        try {
            return rate == null ? LoopSpec.closed(concurrency == null ? 16 : concurrency)
                    : LoopSpec.open(rate, concurrency == null ? 256 : concurrency);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), UserError.USAGE);
        }
    }

    static Duration duration(String text, String option) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(option + ": " + e.getMessage(), UserError.USAGE);
        }
    }

    Duration timeoutDuration() {
        return duration(timeout, "--timeout");
    }

    Bench.RunSpec run(Object workload) {
        try {
            return new Bench.RunSpec(workload, loop(), duration(duration, "--duration"), duration(warmup, "--warmup"),
                    timeoutDuration());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), UserError.USAGE);
        }
    }
}
