package io.dtxlab.launcher.bench;

import io.dtxlab.bench.Bench;
import io.dtxlab.bench.BenchReport;
import io.dtxlab.bench.CompareReport;
import io.dtxlab.bench.ReportWriter;
import io.dtxlab.bench.RestReport;
import io.dtxlab.launcher.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Runs the engine for a command, prints the tables, writes the reports, and fails loudly on a broken invariant. */
final class BenchRunner {

    /** Exit code of a run whose audit found an invariant broken, whatever its speed. */
    static final int INCONSISTENT = 3;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private BenchRunner() {
    }

    static Bench bench(TargetOptions target, LoadOptions load) {
        return new Bench(target.targets(), load.quiet ? null : System.err, System.console() != null,
                target.localProcesses(), Duration.ofSeconds(20));
    }

    /** {@code bench rest}: watches the idle cluster and writes the report. */
    static int rest(TargetOptions target, Duration duration, Path json) throws IOException, InterruptedException {
        System.err.println("watching the cluster at rest for " + duration.toSeconds() + " s (sending nothing)...");
        RestReport report = new Bench(target.targets(), null, false, target.localProcesses(), Duration.ofSeconds(20))
                .rest(duration);
        System.out.print(report.text());
        Path file = json != null ? json : target.workspace().root().resolve("bench")
                .resolve(LocalDateTime.now().format(STAMP) + "-rest.json");
        ReportWriter.writeJson(report, file);
        System.out.println();
        System.out.println("JSON report: " + file.toAbsolutePath());
        return 0;
    }

    static int run(TargetOptions target, LoadOptions load, String workload, List<Bench.RunSpec> specs)
            throws IOException, InterruptedException {
        Bench bench = bench(target, load);
        PrintStream out = System.out;
        CompareReport report;
        try {
            if (specs.size() == 1) {
                BenchReport run = bench.run(specs.get(0));
                report = new CompareReport(run.workload(), List.of(run), List.of());
            } else {
                report = bench.compare(specs);
            }
        } catch (IllegalStateException e) {
            throw new UserError("bench " + workload + ": " + e.getMessage());
        }
        report.runs().forEach(r -> out.print(ReportWriter.text(r)));
        if (report.runs().size() > 1) {
            out.print(ReportWriter.text(report));
        }
        Path json = load.json;
        Path html = load.html;
        if (json == null && html == null) {
            String config = report.runs().size() == 1 ? report.runs().get(0).protocol()
                    : "compare-" + String.join("-", report.runs().stream().map(BenchReport::protocol).toList());
            String base = LocalDateTime.now().format(STAMP) + "-" + workload + "-" + config.replaceAll("[^A-Za-z0-9.=_-]", "_");
            Path dir = target.workspace().root().resolve("bench");
            json = dir.resolve(base + ".json");
            html = dir.resolve(base + ".html");
        }
        Object jsonReport = report.runs().size() == 1 ? report.runs().get(0) : report;
        out.println();
        if (json != null) {
            ReportWriter.writeJson(jsonReport, json);
            out.println("JSON report: " + json.toAbsolutePath());
        }
        if (html != null) {
            ReportWriter.writeHtml(report, html);
            out.println("HTML report: " + html.toAbsolutePath());
        }
        out.flush();
        if (!report.consistent()) {
            for (BenchReport r : report.runs()) {
                if (!r.consistent()) {
                    System.err.println("dtx: bench " + r.workload() + " " + r.protocol() + " broke an invariant: "
                            + r.audit().get("summary"));
                }
            }
            return INCONSISTENT;
        }
        return 0;
    }
}
