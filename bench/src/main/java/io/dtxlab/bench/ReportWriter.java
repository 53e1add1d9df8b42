package io.dtxlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes reports: a terminal table, JSON, and a self-contained HTML page (uPlot and its CSS inlined from the
 * webjar, so it opens offline) with throughput and p99 latency over time and the tables.
 */
public final class ReportWriter {

    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private ReportWriter() {
    }

    public static String json(Object report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeJson(Object report, Path file) throws IOException {
        createParent(file);
        Files.writeString(file, json(report) + "\n");
    }

    public static void writeHtml(CompareReport report, Path file) throws IOException {
        writePage(html(report), file);
    }

    /** Writes a page (or any text) to {@code file} as UTF-8, creating its folder. */
    public static void writePage(String html, Path file) throws IOException {
        createParent(file);
        Files.writeString(file, html);
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    // ---------------------------------------------------------------- terminal

    /** The terminal table of one run. */
    public static String text(BenchReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%n== %s %s: %s loop, %s, %.0f s measured after %.0f s warm-up%n",
                r.workload(), r.protocol(), r.loop().type(), r.loop().rate() == null ? r.loop().concurrency() + " workers"
                        : fmt(r.loop().rate()) + " ops/s, at most " + r.loop().concurrency() + " in flight",
                r.durationS(), r.warmupS()));
        b.append(String.format(Locale.ROOT, "throughput %s ops/s successful, %s ops/s in all (%d operations)%n",
                fmt(r.throughputPerS()), fmt(r.opsPerS()), r.operations()));
        b.append(String.format(Locale.ROOT, "%n%-16s %9s %7s %9s %9s %9s %9s %9s %9s%n", "latency (ms)", "count", "rate",
                "mean", "p50", "p90", "p99", "p99.9", "max"));
        row(b, "all", r.latencyMs(), r.operations());
        r.latencyByOutcomeMs().forEach((k, v) -> row(b, k, v, r.operations()));
        if (r.latencyByOperationMs().size() > 1 || !r.workload().equals("orders")) {
            r.latencyByOperationMs().forEach((k, v) -> row(b, "op " + k, v, r.operations()));
        }
        if (r.serviceTimeMs() != null) {
            row(b, "service time", r.serviceTimeMs(), r.operations());
        }
        b.append(String.format(Locale.ROOT, "%nmessages    %s%n", r.messages()));
        b.append(String.format(Locale.ROOT, "leaders     %s%n", r.leaderChanges()));
        List<StageRow> stages = stageRows(r.stagesMs());
        if (!stages.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%n%-28s %9s %9s%n", "stage (ms)", "p50", "p99"));
            stages.forEach(s -> b.append(String.format(Locale.ROOT, "%-28s %9s %9s%n", s.stage(), orDash(s.p50()),
                    orDash(s.p99()))));
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "cpu ms/op   %s%n", r.cpuMsPerOp() == null ? "n/a" : fmt(r.cpuMsPerOp())));
        if (r.cpuBusyPercent() != null) {
            b.append(String.format(Locale.ROOT, "cpu busy    %s %% of %s cores%n", fmt(r.cpuBusyPercent()),
                    r.machine().get("cores")));
        }
        if (r.cpuWaitMsPerOp() != null) {
            b.append(String.format(Locale.ROOT, "cpu wait ms/op %s (threads ready to run, waiting for a core)%n",
                    fmt(r.cpuWaitMsPerOp())));
        }
        hostLoop(r).ifPresent(loop -> b.append(String.format(Locale.ROOT, "host loop   %s%n", loop)));
        Double allocatedKbPerOp = allocatedKbPerOp(r);
        b.append(String.format(Locale.ROOT, "alloc KiB/op %s%n", allocatedKbPerOp == null ? "n/a" : fmt(allocatedKbPerOp)));
        b.append(String.format(Locale.ROOT, "%n%-16s %10s %10s %10s %10s %10s %10s%n", "node", "cpu s", "cpu wait s",
                "rss MiB", "gc pauses", "gc s", "alloc MiB"));
        r.cpuSecondsByNode().forEach((node, cpu) -> {
            BenchReport.Gc gc = gc(r, node);
            b.append(String.format(Locale.ROOT, "%-16s %10s %10s %10s %10s %10s %10s%n", node,
                    cpu == null ? "-" : fmt(cpu), orDash(r.cpuWaitSecondsByNode().get(node)),
                    r.rssMbByNode().get(node) == null ? "-" : fmt(r.rssMbByNode().get(node)), orDash(gc.pauses()),
                    orDash(gc.pauseSeconds()), orDash(gc.allocatedMb())));
        });
        b.append(String.format(Locale.ROOT, "%naudit       %s%n", r.audit().get("summary")));
        r.notes().forEach(n -> b.append("note        ").append(n).append('\n'));
        return b.toString();
    }

    /** One stage of {@link BenchReport#stagesMs()}: its path joined by spaces, and its p50 and p99 in ms (null: no figure). */
    record StageRow(String stage, Double p50, Double p99) {
    }

    /**
     * {@code stagesMs} flattened, in its order: every map that holds {@code p50} or {@code p99} is a stage, named by the
     * keys that lead to it ({@code beginQueued}, {@code coordinator 2PC voting}).
     */
    static List<StageRow> stageRows(Map<String, Object> stagesMs) {
        List<StageRow> rows = new ArrayList<>();
        stageRows("", stagesMs, rows);
        return rows;
    }

    private static void stageRows(String path, Map<?, ?> node, List<StageRow> rows) {
        if (node.containsKey("p50") || node.containsKey("p99")) {
            rows.add(new StageRow(path, number(node.get("p50")), number(node.get("p99"))));
            return;
        }
        node.forEach((key, value) -> {
            if (value instanceof Map<?, ?> child) {
                stageRows(path.isEmpty() ? String.valueOf(key) : path + " " + key, child, rows);
            }
        });
    }

    private static Double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    /**
     * The host's speed before and after the run ({@code machine.hostLoopMs}) as a phrase, e.g. {@code 9.100 ms before,
     * 9.200 ms after (a fixed CPU loop in the bench, best of 5; lower is faster)}; empty when the report has none.
     */
    static Optional<String> hostLoop(BenchReport r) {
        if (!(r.machine().get("hostLoopMs") instanceof Map<?, ?> loop)) {
            return Optional.empty();
        }
        return Optional.of(ms(loop.get("before")) + " before, " + ms(loop.get("after"))
                + " after (a fixed CPU loop in the bench, best of " + HostSpeed.TIMED_ROUNDS + "; lower is faster)");
    }

    private static String ms(Object value) {
        Double ms = number(value);
        return ms == null ? "-" : String.format(Locale.ROOT, "%.3f ms", ms);
    }

    private static final BenchReport.Gc NO_GC = new BenchReport.Gc(null, null, null);

    /** {@code node}'s GC figures, all null for a process that is not scraped (the launcher). */
    static BenchReport.Gc gc(BenchReport r, String node) {
        return r.gcByNode().getOrDefault(node, NO_GC);
    }

    /** KiB every scraped node allocated together, per successful operation; null without figures or successes. */
    static Double allocatedKbPerOp(BenchReport r) {
        if (r.successes() == 0) {
            return null;
        }
        double mb = 0;
        boolean any = false;
        for (BenchReport.Gc gc : r.gcByNode().values()) {
            if (gc.allocatedMb() != null) {
                mb += gc.allocatedMb();
                any = true;
            }
        }
        return any ? ClusterProbe.round3(mb * 1024 / r.successes()) : null;
    }

    private static String orDash(Number n) {
        return n == null ? "-" : n instanceof Long l ? Long.toString(l) : fmt(n.doubleValue());
    }

    /** The ratios of a comparison, one a line. */
    public static String text(CompareReport c) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%n== compare %s%n", c.workload()));
        b.append(String.format(Locale.ROOT, "%-14s %12s %10s %10s %10s  %s%n", "run", "ops/s ok", "p50 ms", "p99 ms",
                "cpu ms/op", "audit"));
        for (BenchReport r : c.runs()) {
            b.append(String.format(Locale.ROOT, "%-14s %12s %10s %10s %10s  %s%n", r.protocol(), fmt(r.throughputPerS()),
                    fmt(r.latencyMs().p50()), fmt(r.latencyMs().p99()), r.cpuMsPerOp() == null ? "-" : fmt(r.cpuMsPerOp()),
                    r.consistent() ? "consistent" : "INCONSISTENT"));
        }
        b.append('\n');
        for (CompareReport.Ratio ratio : c.ratios()) {
            if (ratio.value() == null) {
                continue;
            }
            b.append(String.format(Locale.ROOT, "%-24s %s / %s = %s%s%n", ratio.metric(), ratio.run(), ratio.against(),
                    fmt(ratio.value()), ratio.meaning().isEmpty() ? "" : "   (" + ratio.meaning() + ")"));
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, LatencyStats s, long total) {
        b.append(String.format(Locale.ROOT, "%-16s %9d %6.1f%% %9s %9s %9s %9s %9s %9s%n", name, s.count(),
                total == 0 ? 0.0 : 100.0 * s.count() / total, fmt(s.mean()), fmt(s.p50()), fmt(s.p90()), fmt(s.p99()),
                fmt(s.p999()), fmt(s.max())));
    }

    /** As {@link #fmt(double)}; a figure nobody reported is a dash. */
    static String fmt(Double d) {
        return d == null ? "-" : fmt(d.doubleValue());
    }

    /** A figure for people: a whole number as is, else 1 decimal from 100 up and 3 below. */
    public static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e12) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, Math.abs(d) >= 100 ? "%.1f" : "%.3f", d);
    }

    // ---------------------------------------------------------------- HTML

    /** The bench page's look: tables of figures, right-aligned, and good or bad in colour. */
    private static final String PAGE_CSS = "body{font:14px system-ui,sans-serif;margin:24px;color:#222}"
            + "table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:3px 8px;"
            + "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.bad{color:#b00;"
            + "font-weight:bold}.ok{color:#070}pre{background:#f7f7f7;padding:8px;overflow:auto}"
            + ".chart{display:inline-block;margin-right:16px}";

    /**
     * The start of a page that stands alone: the doctype, {@code title} (escaped), uPlot's CSS and then {@code css} in
     * one style element, and uPlot's script inlined from the webjar (so {@code uPlot} is defined and the page works
     * offline), up to and including the opening {@code <body>} tag.
     *
     * @throws IllegalStateException when the uPlot webjar is not on the classpath
     */
    public static String pageHead(String title, String css) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title)
                + "</title>\n<style>\n" + resource("uPlot.min.css") + "\n" + css + "\n</style>\n<script>\n"
                + resource("uPlot.iife.min.js").replace("</script", "<\\/script") + "\n</script></head><body>\n";
    }

    /**
     * {@code value} as compact JSON to stand inside a {@code <script>} element: every {@code <} (only a string can hold
     * one) is written as its JSON escape, U+003C, so no text in it can close the element or open a comment.
     */
    public static String scriptJson(Object value) {
        try {
            return COMPACT.writeValueAsString(value).replace("<", "\\u003c");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String html(CompareReport c) {
        StringBuilder b = new StringBuilder();
        String title = "dtx bench " + c.workload() + " " + String.join(" vs ", c.runs().stream().map(BenchReport::protocol).toList());
        b.append(pageHead(title, PAGE_CSS)).append("<h1>").append(esc(title)).append("</h1>\n");
        if (c.runs().size() > 1) {
            b.append("<h2>Comparison</h2><table><tr><th>run</th><th>ops/s ok</th><th>p50 ms</th><th>p99 ms</th>"
                    + "<th>cpu ms/op</th><th>audit</th></tr>");
            for (BenchReport r : c.runs()) {
                b.append("<tr><td>").append(esc(r.protocol())).append("</td><td>").append(fmt(r.throughputPerS()))
                        .append("</td><td>").append(fmt(r.latencyMs().p50())).append("</td><td>")
                        .append(fmt(r.latencyMs().p99())).append("</td><td>")
                        .append(r.cpuMsPerOp() == null ? "-" : fmt(r.cpuMsPerOp())).append("</td>").append(auditCell(r))
                        .append("</tr>");
            }
            b.append("</table><table><tr><th>metric</th><th>run / against</th><th>ratio</th><th>meaning</th></tr>");
            for (CompareReport.Ratio ratio : c.ratios()) {
                b.append("<tr><td>").append(esc(ratio.metric())).append("</td><td>").append(esc(ratio.run() + " / "
                        + ratio.against())).append("</td><td>").append(ratio.value() == null ? "-" : fmt(ratio.value()))
                        .append("</td><td>").append(esc(ratio.meaning())).append("</td></tr>");
            }
            b.append("</table>\n");
        }
        for (int i = 0; i < c.runs().size(); i++) {
            run(b, c.runs().get(i), i);
        }
        b.append("<script>\nconst runs = ").append(scriptJson(c.runs())).append(";\n")
                .append("""
                        runs.forEach((run, i) => {
                          const t = run.timeline.map(p => p.t);
                          const w = Math.min(640, window.innerWidth - 60);
                          // x is seconds into the run, not a date
                          const x = {scales: {x: {time: false}}, axes: [{label: 'seconds'}, {}]};
                          new uPlot({...x, title: 'operations per second', width: w, height: 260,
                            series: [{label: 's'}, {label: 'all', stroke: '#36c'}, {label: 'successful', stroke: '#2a2'},
                                     {label: 'errors', stroke: '#c22'}]},
                            [t, run.timeline.map(p => p.opsPerS), run.timeline.map(p => p.successPerS),
                             run.timeline.map(p => p.errors)], document.getElementById('tput-' + i));
                          new uPlot({...x, title: 'latency (ms)', width: w, height: 260,
                            series: [{label: 's'}, {label: 'p50', stroke: '#36c'}, {label: 'p99', stroke: '#c60'}]},
                            [t, run.timeline.map(p => p.p50Ms), run.timeline.map(p => p.p99Ms)],
                            document.getElementById('lat-' + i));
                        });
                        </script></body></html>
                        """);
        return b.toString();
    }

    private static void run(StringBuilder b, BenchReport r, int i) {
        b.append("<h2>").append(esc(r.workload() + " " + r.protocol())).append("</h2>\n<p>")
                .append(esc(r.loop().type() + " loop, " + (r.loop().rate() == null ? r.loop().concurrency() + " workers"
                        : fmt(r.loop().rate()) + " ops/s intended, at most " + r.loop().concurrency() + " in flight")
                        + "; " + fmt(r.durationS()) + " s measured after " + fmt(r.warmupS()) + " s warm-up; started "
                        + r.startedAt() + "; " + r.machine().get("cores") + " cores, " + r.machine().get("os") + ", Java "
                        + r.machine().get("java") + hostLoop(r).map(loop -> "; host loop " + loop).orElse("")))
                .append("</p>\n<p><b>").append(fmt(r.throughputPerS())).append(" successful ops/s</b> (")
                .append(fmt(r.opsPerS())).append(" in all); audit: <span class=\"").append(r.consistent() ? "ok" : "bad")
                .append("\">").append(esc(String.valueOf(r.audit().get("summary")))).append("</span></p>\n")
                .append("<div class=\"chart\" id=\"tput-").append(i).append("\"></div><div class=\"chart\" id=\"lat-")
                .append(i).append("\"></div>\n<table><tr><th>latency (ms)</th><th>count</th><th>mean</th><th>p50</th>"
                        + "<th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>");
        htmlRow(b, "all", r.latencyMs());
        r.latencyByOutcomeMs().forEach((k, v) -> htmlRow(b, k, v));
        r.latencyByOperationMs().forEach((k, v) -> htmlRow(b, "operation " + k, v));
        if (r.serviceTimeMs() != null) {
            htmlRow(b, "service time (uncorrected)", r.serviceTimeMs());
        }
        b.append("</table>\n");
        List<StageRow> stages = stageRows(r.stagesMs());
        if (!stages.isEmpty()) {
            b.append("<table><tr><th>where the time went (ms)</th><th>p50</th><th>p99</th></tr>");
            stages.forEach(s -> b.append("<tr><td>").append(esc(s.stage())).append("</td><td>").append(orDash(s.p50()))
                    .append("</td><td>").append(orDash(s.p99())).append("</td></tr>"));
            b.append("</table>\n");
        }
        Double allocatedKbPerOp = allocatedKbPerOp(r);
        b.append("<table><tr><th>node</th><th>cpu s</th><th>cpu wait s</th><th>rss MiB</th><th>gc pauses</th>"
                + "<th>gc s</th><th>alloc MiB</th></tr>");
        r.cpuSecondsByNode().forEach((node, cpu) -> {
            BenchReport.Gc gc = gc(r, node);
            b.append("<tr><td>").append(esc(node)).append("</td><td>").append(cpu == null ? "-" : fmt(cpu))
                    .append("</td><td>").append(orDash(r.cpuWaitSecondsByNode().get(node)))
                    .append("</td><td>").append(r.rssMbByNode().get(node) == null ? "-" : fmt(r.rssMbByNode().get(node)))
                    .append("</td><td>").append(orDash(gc.pauses())).append("</td><td>").append(orDash(gc.pauseSeconds()))
                    .append("</td><td>").append(orDash(gc.allocatedMb())).append("</td></tr>");
        });
        b.append("<tr><td>cpu ms per successful op</td><td colspan=\"6\">")
                .append(r.cpuMsPerOp() == null ? "-" : fmt(r.cpuMsPerOp())).append("</td></tr>")
                .append("<tr><td>cpu wait ms per successful op (ready to run, waiting for a core)</td>")
                .append("<td colspan=\"6\">").append(orDash(r.cpuWaitMsPerOp())).append("</td></tr>")
                .append("<tr><td>cpu busy, % of ").append(esc(String.valueOf(r.machine().get("cores"))))
                .append(" cores</td><td colspan=\"6\">").append(orDash(r.cpuBusyPercent())).append("</td></tr>")
                .append("<tr><td>KiB allocated per successful op</td><td colspan=\"6\">")
                .append(allocatedKbPerOp == null ? "-" : fmt(allocatedKbPerOp)).append("</td></tr></table>\n")
                .append("<details><summary>messages, leader changes, audit, parameters</summary><pre>")
                .append(esc(json(Map.of("messages", r.messages(), "leaderChanges", r.leaderChanges(), "audit", r.audit(),
                        "parameters", r.parameters(), "prepared", r.prepared(), "notes", r.notes()))))
                .append("</pre></details>\n");
    }

    private static String auditCell(BenchReport r) {
        return r.consistent() ? "<td class=\"ok\">consistent</td>" : "<td class=\"bad\">INCONSISTENT</td>";
    }

    private static void htmlRow(StringBuilder b, String name, LatencyStats s) {
        b.append("<tr><td>").append(esc(name)).append("</td><td>").append(s.count()).append("</td>");
        for (double v : List.of(s.mean(), s.p50(), s.p90(), s.p99(), s.p999(), s.max())) {
            b.append("<td>").append(fmt(v)).append("</td>");
        }
        b.append("</tr>");
    }

    /** {@code s} escaped for HTML text and attribute values ({@code & < > "}); null is empty. */
    public static String esc(String s) {
        return Objects.toString(s, "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = ReportWriter.class.getClassLoader().getResourceAsStream(UPLOT + name)) {
            if (in == null) {
                throw new IllegalStateException("uPlot's " + name + " is missing from the classpath (webjar org.webjars.npm:uplot)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
