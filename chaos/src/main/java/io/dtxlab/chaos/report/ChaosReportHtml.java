package io.dtxlab.chaos.report;

import static io.dtxlab.bench.ReportWriter.esc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtxlab.bench.ReportWriter;
import io.dtxlab.chaos.check.Finding;
import io.dtxlab.chaos.check.Verdict;
import io.dtxlab.chaos.history.FaultWindow;
import io.dtxlab.chaos.history.Operation;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@link ChaosReport} as one HTML page that stands alone (uPlot inlined, as the bench's report): a header with the
 * seed, the command that repeats the run, the counts and whether it is valid; Jepsen's timeline, one lane per client
 * process, drawn as inline SVG (no script); the latency of ok operations over time, by workload, with uPlot; and
 * each checker's verdict with the operations that break its rules. Fault windows are shaded on both charts. Every
 * text from the history or the runner is escaped.
 */
public final class ChaosReportHtml {

    /** Above this many operations the timeline draws each lane as buckets of time rather than one bar each. */
    public static final int MAX_BARS = 5_000;

    /** Above this many ok operations the latency chart keeps the slowest of each run of consecutive ones. */
    public static final int MAX_POINTS = 20_000;

    /** Findings shown in each list of a verdict; the JSON has them all. */
    static final int MAX_FINDINGS = 100;

    /** The longest text of a value in a table cell or a hover title, in characters. */
    private static final int MAX_TEXT = 300;

    // The timeline's geometry, in px.
    private static final int LABEL_W = 190;
    private static final int PLOT_W = 1000;
    private static final int RIGHT = 30;
    private static final int LANE_H = 16;
    private static final int BAND_H = 30;
    private static final int AXIS_H = 28;
    /** About the width of a character of a fault's label, to keep it on the page. */
    private static final double LABEL_CHAR_W = 6;

    /** A fault's shade by its kind; another kind gets the crash's. */
    private static final Map<String, String> COLOURS = Map.of("crash", "#c33", "partition", "#36c", "pause", "#93c");

    /** Names compared by their text, then by the number they end in, as a number. */
    static final Comparator<String> NATURAL = Comparator.comparing(ChaosReportHtml::stem)
            .thenComparing(ChaosReportHtml::number).thenComparing(Comparator.naturalOrder());

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final String CSS = """
            body{font:14px system-ui,sans-serif;margin:24px;color:#222}
            table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;padding:3px 8px;\
            text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}
            code{background:#f3f3f3;padding:2px 5px}.muted{color:#777}
            .badge{display:inline-block;padding:1px 8px;border-radius:4px;color:#fff;font-size:.8em;\
            vertical-align:middle}.VALID{background:#282}.INVALID{background:#c22}.UNKNOWN{background:#c80}
            .scroll{overflow-x:auto}.finding{margin:8px 0 14px}.finding td{font-size:13px}
            .legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
            .sw-ok{background:#3a3}.sw-fail{background:#d33}.sw-info{background:#f0a020}.sw-fault{opacity:.3}
            svg.timeline text{font:11px system-ui,sans-serif;fill:#333}svg.timeline text.wl{fill:#999}
            svg .ok{fill:#3a3}svg .fail{fill:#d33}svg .info{fill:#f0a020}svg .culprit{stroke:#000;stroke-width:1.5}
            svg .stripe{fill:#f6f6f6}svg .fault{fill-opacity:.13}svg .edge{stroke-opacity:.5}svg .axis{stroke:#999}
            """;

    private static final String LATENCY_SCRIPT = """
            (() => {
              const d = latency;
              const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
              // fault windows under the points, clipped to the plot
              const shade = u => {
                const ctx = u.ctx, b = u.bbox;
                ctx.save();
                ctx.beginPath();
                ctx.rect(b.left, b.top, b.width, b.height);
                ctx.clip();
                ctx.globalAlpha = 0.13;
                d.faults.forEach(f => {
                  ctx.fillStyle = f.colour;
                  const x0 = u.valToPos(f.start, 'x', true);
                  const x1 = u.valToPos(f.stop == null ? d.end : f.stop, 'x', true);
                  ctx.fillRect(x0, b.top, Math.max(1, x1 - x0), b.height);
                });
                ctx.restore();
              };
              new uPlot({
                title: 'latency of ok operations (ms, log scale) by when they were invoked',
                width: Math.min(1220, window.innerWidth - 48), height: 340,
                scales: {x: {time: false, range: [0, d.end]}, y: {distr: 3}},
                axes: [{label: 'seconds since the start'}, {label: 'ms'}],
                series: [{label: 's'}].concat(d.series.map((s, i) => {
                  const c = colours[i % colours.length];
                  return {label: s.workload, stroke: c, paths: () => null,
                          points: {show: true, size: 4, width: 1, stroke: c, fill: c}};
                })),
                hooks: {drawClear: [shade]},
              }, [d.x].concat(d.series.map(s => s.y)), document.getElementById('latency'));
            })();
            """;

    private ChaosReportHtml() {
    }

    /** The page. */
    public static String html(ChaosReport report) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append(ReportWriter.pageHead("dtx chaos, seed " + report.run().seed(), CSS));
        header(b, report);
        timeline(b, report);
        latency(b, report);
        verdicts(b, report);
        return b.append("</body></html>\n").toString();
    }

    /** Writes the page to {@code file} (UTF-8, replaced), creating its folder. */
    public static void write(ChaosReport report, Path file) throws IOException {
        ReportWriter.writePage(html(report), file);
    }

    // ---------------------------------------------------------------- header

    private static void header(StringBuilder b, ChaosReport r) {
        ChaosReport.Run run = r.run();
        Summary s = r.summary();
        b.append("<h1>dtx chaos, seed ").append(run.seed()).append(' ')
                .append(s.valid() ? badge("VALID", "valid") : badge("INVALID", "not valid")).append("</h1>\n")
                .append("<p>Repeat this run: <code>").append(esc(run.command())).append("</code></p>\n")
                .append("<p>Workloads ").append(esc(String.join(", ", run.workloads()))).append("; started ")
                .append(esc(run.start().toString())).append("; clients ran ")
                .append(ReportWriter.fmt(run.duration().toMillis() / 1e3)).append(" s; the history ends at ")
                .append(seconds(r.end())).append("; ").append(r.workloadByProcess().size())
                .append(" client processes.</p>\n");
        b.append("<table><tr><th>summary</th><th>value</th><th>meaning</th></tr>");
        row(b, "valid", String.valueOf(s.valid()), "every verdict VALID: " + r.verdicts().stream()
                .map(v -> v.checker() + " " + v.validity()).toList());
        row(b, "mixedOutcomes", value(s.mixedOutcomes(), "no orders checker"),
                "orders committed on some participants and not on others, under 2PC or 3PC");
        row(b, "lostAcknowledged", value(s.lostAcknowledged(), "no lost-writes checker"),
                "acknowledged writes lost without a ledger entry");
        row(b, "conservation", value(s.conservation(), "no orders checker"),
                "stock and money balance, nothing below zero");
        row(b, "inDoubtAfterHeal", value(s.inDoubtAfterHeal(), "no orders checker"),
                "orders with a branch still in doubt after the heal");
        row(b, "linearizable", value(s.linearizable(), "no register checker, or its search did not finish"),
                "the registers' history has a linearization");
        b.append("</table>\n");

        b.append("<table><tr><th>operations</th><th>ok</th><th>fail</th><th>info</th><th>total</th></tr>");
        r.countsByWorkload().forEach((w, c) -> counts(b, esc(w), c));
        counts(b, "<b>all</b>", r.counts());
        b.append("</table>\n");

        b.append("<p>").append(r.faults().size()).append(" fault").append(r.faults().size() == 1 ? "" : "s");
        Map<String, Integer> byKind = r.faultsByKind();
        if (!byKind.isEmpty()) {
            b.append(": ").append(esc(String.join(", ", byKind.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).toList())));
        }
        b.append("</p>\n");
        if (!r.faults().isEmpty()) {
            b.append("<table><tr><th>fault</th><th>from</th><th>to</th><th>held</th></tr>");
            for (FaultWindow w : r.faults()) {
                b.append("<tr><td>").append(esc(w.fault())).append("</td><td class=\"n\">").append(seconds(w.start()))
                        .append("</td><td class=\"n\">").append(w.open() ? "still on at the end" : seconds(w.stop()))
                        .append("</td><td class=\"n\">").append(seconds((w.open() ? r.end() : w.stop()) - w.start()))
                        .append("</td></tr>");
            }
            b.append("</table>\n");
        }
        if (!run.notes().isEmpty()) {
            b.append("<ul>");
            run.notes().forEach(n -> b.append("<li>").append(esc(n)).append("</li>"));
            b.append("</ul>\n");
        }
    }

    private static String badge(String validity, String text) {
        return "<span class=\"badge " + validity + "\">" + esc(text) + "</span>";
    }

    private static String value(Object value, String whyNone) {
        return value == null ? "null <span class=\"muted\">(" + esc(whyNone) + ")</span>" : esc(value.toString());
    }

    private static void row(StringBuilder b, String name, String valueHtml, String meaning) {
        b.append("<tr><td>").append(esc(name)).append("</td><td>").append(valueHtml).append("</td><td>")
                .append(esc(meaning)).append("</td></tr>");
    }

    private static void counts(StringBuilder b, String nameHtml, OperationCounts c) {
        b.append("<tr><td>").append(nameHtml).append("</td><td class=\"n\">").append(c.ok())
                .append("</td><td class=\"n\">").append(c.fail()).append("</td><td class=\"n\">").append(c.info())
                .append("</td><td class=\"n\">").append(c.total()).append("</td></tr>");
    }

    // ---------------------------------------------------------------- timeline

    /** The ids of the operations the verdicts' findings name, of violations or of notes too. */
    private static Set<Integer> named(ChaosReport r, boolean withNotes) {
        Set<Integer> ids = new HashSet<>();
        for (Verdict v : r.verdicts()) {
            v.violations().forEach(f -> f.operations().forEach(op -> ids.add(op.id())));
            if (withNotes) {
                v.notes().forEach(f -> f.operations().forEach(op -> ids.add(op.id())));
            }
        }
        return ids;
    }

    /**
     * The lanes, top down: by workload in the report's order, each workload's processes by name with their numbers
     * in numeric order ({@code c2} before {@code c10}).
     */
    private static List<String> lanes(ChaosReport r) {
        List<String> lanes = new ArrayList<>();
        for (String workload : r.countsByWorkload().keySet()) {
            r.workloadByProcess().entrySet().stream().filter(e -> e.getValue().equals(workload))
                    .map(Map.Entry::getKey).sorted(NATURAL).forEach(lanes::add);
        }
        return lanes;
    }

    private static String stem(String name) {
        return name.replaceAll("\\d+$", "");
    }

    /** The number a name ends in; -1 for none, so {@code c} comes before {@code c0}. */
    private static BigInteger number(String name) {
        String digits = name.substring(stem(name).length());
        return digits.isEmpty() ? BigInteger.ONE.negate() : new BigInteger(digits);
    }

    private static String colour(String kind) {
        return COLOURS.getOrDefault(kind, COLOURS.get("crash"));
    }

    /**
     * The timeline. The operations a finding names are always drawn one by one, with an id its table links to; those
     * of violations are outlined.
     */
    private static void timeline(StringBuilder b, ChaosReport r) {
        b.append("<h2 id=\"timeline\">Timeline</h2>\n");
        if (r.operations().isEmpty()) {
            b.append("<p>No client operations in the history.</p>\n");
            return;
        }
        List<String> lanes = lanes(r);
        Map<String, Integer> laneOf = new HashMap<>();
        lanes.forEach(p -> laneOf.put(p, laneOf.size()));
        Set<Integer> named = named(r, true);
        Set<Integer> culprits = named(r, false);
        Scale x = new Scale(Math.max(1, r.end()));
        boolean bucketed = r.operations().size() > MAX_BARS;
        int columns = Math.max(20, Math.min(400, MAX_BARS / lanes.size()));
        b.append("<p class=\"legend\">One lane per client process; each operation a bar from its invoke to its "
                + "completion (hover for it):<span class=\"sw-ok\"></span>ok<span class=\"sw-fail\"></span>fail"
                + "<span class=\"sw-info\"></span>info (unknown)");
        r.faultsByKind().keySet().forEach(kind -> b.append("<span class=\"sw-fault\" style=\"background:")
                .append(colour(kind)).append("\"></span>").append(esc(kind)));
        b.append(". Operations a checker names in a violation are outlined; each named in a verdict links here.</p>\n");
        if (bucketed) {
            b.append("<p><b>").append(r.operations().size()).append(" operations, more than ").append(MAX_BARS)
                    .append(":</b> each lane is drawn in ").append(columns).append(" buckets of ")
                    .append(seconds(x.span / columns)).append(", each split by how the operations invoked in it "
                            + "ended (hover for the counts). The operations named in verdicts are still drawn one by "
                            + "one.</p>\n");
        }
        int plotH = lanes.size() * LANE_H;
        int width = LABEL_W + PLOT_W + RIGHT;
        int height = BAND_H + plotH + AXIS_H;
        b.append("<div class=\"scroll\"><svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width)
                .append(' ').append(height).append("\">\n");
        for (int i = 0; i < lanes.size(); i++) {
            int top = BAND_H + i * LANE_H;
            if (i % 2 == 1) {
                b.append("<rect class=\"stripe\" x=\"").append(LABEL_W).append("\" y=\"").append(top)
                        .append("\" width=\"").append(PLOT_W).append("\" height=\"").append(LANE_H).append("\"/>");
            }
            b.append("<text class=\"lane\" x=\"").append(LABEL_W - 6).append("\" y=\"").append(top + LANE_H - 4)
                    .append("\" text-anchor=\"end\">").append(esc(lanes.get(i))).append("<tspan class=\"wl\"> ")
                    .append(esc(r.workloadByProcess().get(lanes.get(i)))).append("</tspan></text>\n");
        }
        faultWindows(b, r, x, plotH);
        if (bucketed) {
            buckets(b, r, x, laneOf, columns);
            r.operations().stream().filter(op -> named.contains(op.id()))
                    .forEach(op -> bar(b, op, x, laneOf, true, culprits.contains(op.id())));
        } else {
            r.operations().forEach(op -> bar(b, op, x, laneOf, named.contains(op.id()), culprits.contains(op.id())));
        }
        axis(b, x, BAND_H + plotH);
        b.append("</svg></div>\n");
    }

    /** Nanoseconds since the start to x in px, over a span of {@code span} ns. */
    private record Scale(long span) {

        double x(long nanos) {
            return LABEL_W + PLOT_W * (double) Math.min(nanos, span) / span;
        }
    }

    private static void faultWindows(StringBuilder b, ChaosReport r, Scale x, int plotH) {
        for (int i = 0; i < r.faults().size(); i++) {
            FaultWindow w = r.faults().get(i);
            double x0 = x.x(w.start());
            double x1 = x.x(w.open() ? r.end() : w.stop());
            int labelY = 11 + (i % 2) * 13;
            // a label that would run off the right edge ends there instead
            boolean fits = x0 + 3 + LABEL_CHAR_W * w.fault().length() <= LABEL_W + PLOT_W + RIGHT;
            String colour = colour(w.kind());
            b.append("<rect class=\"fault\" fill=\"").append(colour).append("\" x=\"").append(px(x0)).append("\" y=\"").append(BAND_H).append("\" width=\"")
                    .append(px(Math.max(1, x1 - x0))).append("\" height=\"").append(plotH).append("\"><title>")
                    .append(esc(w.describe())).append("</title></rect>")
                    .append("<line class=\"edge\" stroke=\"").append(colour).append("\" x1=\"").append(px(x0)).append("\" x2=\"").append(px(x0))
                    .append("\" y1=\"").append(labelY - 10).append("\" y2=\"").append(BAND_H + plotH).append("\"/>")
                    .append("<text class=\"fault-label\" x=\"").append(px(fits ? x0 + 3 : LABEL_W + PLOT_W + RIGHT))
                    .append("\" y=\"").append(labelY).append(fits ? "" : "\" text-anchor=\"end").append("\">")
                    .append(esc(w.fault())).append("</text>\n");
        }
    }

    private static void bar(StringBuilder b, Operation op, Scale x, Map<String, Integer> laneOf, boolean named,
            boolean culprit) {
        double x0 = x.x(op.invokedAt());
        double x1 = x.x(op.completedAt());
        b.append("<rect class=\"").append(op.outcome()).append(culprit ? " culprit" : "")
                .append(named ? "\" id=\"op-" + op.id() : "").append("\" x=\"").append(px(x0)).append("\" y=\"")
                .append(BAND_H + laneOf.get(op.process()) * LANE_H + 3)
                .append("\" width=\"").append(px(Math.max(1, x1 - x0))).append("\" height=\"").append(LANE_H - 6)
                .append("\"><title>").append(esc(cut(op.describe()))).append("</title></rect>\n");
    }

    /** Each lane in {@code columns} buckets of time, each split by how the operations invoked in it ended. */
    private static void buckets(StringBuilder b, ChaosReport r, Scale x, Map<String, Integer> laneOf, int columns) {
        double bucket = (double) x.span / columns;
        OperationCounts[][] counts = new OperationCounts[laneOf.size()][columns];
        for (Operation op : r.operations()) {
            int lane = laneOf.get(op.process());
            int column = (int) Math.min(columns - 1, op.invokedAt() / bucket);
            OperationCounts c = counts[lane][column];
            counts[lane][column] = (c == null ? OperationCounts.NONE : c).plus(op);
        }
        Map<Integer, String> processOf = new HashMap<>();
        laneOf.forEach((p, lane) -> processOf.put(lane, p));
        double w = (double) PLOT_W / columns;
        for (int lane = 0; lane < counts.length; lane++) {
            for (int column = 0; column < columns; column++) {
                OperationCounts c = counts[lane][column];
                if (c == null) {
                    continue;
                }
                long from = Math.round(column * bucket);
                long to = Math.round((column + 1) * bucket);
                b.append("<g><title>").append(esc(processOf.get(lane))).append(": ").append(c.total())
                        .append(" operations invoked in [").append(seconds(from)).append(", ").append(seconds(to))
                        .append("): ").append(c.ok()).append(" ok, ").append(c.fail()).append(" fail, ")
                        .append(c.info()).append(" info</title>");
                double y = BAND_H + lane * LANE_H + 2;
                double h = LANE_H - 4;
                for (String outcome : List.of("ok", "fail", "info")) {
                    long n = outcome.equals("ok") ? c.ok() : outcome.equals("fail") ? c.fail() : c.info();
                    if (n == 0) {
                        continue;
                    }
                    double part = h * n / c.total();
                    b.append("<rect class=\"").append(outcome).append("\" x=\"")
                            .append(px(LABEL_W + column * w)).append("\" y=\"").append(px(y)).append("\" width=\"")
                            .append(px(Math.max(1, w - 0.5))).append("\" height=\"").append(px(part)).append("\"/>");
                    y += part;
                }
                b.append("</g>\n");
            }
        }
    }

    private static void axis(StringBuilder b, Scale x, int y) {
        double step = niceStep(x.span / 1e9 / 10);
        b.append("<line class=\"axis\" x1=\"").append(LABEL_W).append("\" x2=\"").append(LABEL_W + PLOT_W)
                .append("\" y1=\"").append(y).append("\" y2=\"").append(y).append("\"/>");
        for (int i = 0; i * step <= x.span / 1e9 + 1e-9; i++) {
            double tx = x.x(Math.round(i * step * 1e9));
            b.append("<line class=\"axis\" x1=\"").append(px(tx)).append("\" x2=\"").append(px(tx)).append("\" y1=\"")
                    .append(y).append("\" y2=\"").append(y + 5).append("\"/><text x=\"").append(px(tx))
                    .append("\" y=\"").append(y + 17).append("\" text-anchor=\"middle\">")
                    .append(ReportWriter.fmt(Math.round(i * step * 1e6) / 1e6)).append(" s</text>");
        }
        b.append('\n');
    }

    /** The step of about ten ticks: 1, 2 or 5 times a power of ten, in seconds. */
    static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        double m = rough / power;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
    }

    // ---------------------------------------------------------------- latency

    private static void latency(StringBuilder b, ChaosReport r) {
        b.append("<h2 id=\"latency-over-time\">Latency over time</h2>\n");
        List<String> workloads = new ArrayList<>(r.countsByWorkload().keySet());
        Map<String, List<Operation>> oks = new HashMap<>();
        r.operations().stream().filter(Operation::ok)
                .forEach(op -> oks.computeIfAbsent(r.workloadOf(op), w -> new ArrayList<>()).add(op));
        long total = oks.values().stream().mapToLong(List::size).sum();
        if (total == 0) {
            b.append("<p>No ok operations.</p>\n");
            return;
        }
        int stride = (int) Math.max(1, (total + MAX_POINTS - 1) / MAX_POINTS);
        // the slowest of each run of `stride`, so that spikes survive the thinning
        record Point(int series, Operation op) {
        }
        List<Point> points = new ArrayList<>();
        for (int s = 0; s < workloads.size(); s++) {
            List<Operation> ops = oks.getOrDefault(workloads.get(s), List.of());
            for (int from = 0; from < ops.size(); from += stride) {
                Operation slowest = ops.subList(from, Math.min(ops.size(), from + stride)).stream()
                        .max(Comparator.comparingLong(op -> op.completedAt() - op.invokedAt())).orElseThrow();
                points.add(new Point(s, slowest));
            }
        }
        points.sort(Comparator.comparingLong(p -> p.op().invokedAt()));
        if (stride > 1) {
            b.append("<p><b>").append(total).append(" ok operations, more than ").append(MAX_POINTS)
                    .append(":</b> each point is the slowest of ").append(stride)
                    .append(" consecutive ones of its workload (").append(points.size()).append(" shown).</p>\n");
        }
        ObjectNode data = NODES.objectNode();
        ArrayNode xs = data.putArray("x");
        ArrayNode series = data.putArray("series");
        List<ArrayNode> ys = new ArrayList<>();
        for (String w : workloads) {
            ObjectNode s = series.addObject();
            s.put("workload", w);
            ys.add(s.putArray("y"));
        }
        for (Point p : points) {
            xs.add(round(p.op().invokedAt() / 1e9));
            double ms = Math.max(0.001, (p.op().completedAt() - p.op().invokedAt()) / 1e6);
            for (int s = 0; s < ys.size(); s++) {
                if (s == p.series()) {
                    ys.get(s).add(round(ms));
                } else {
                    ys.get(s).addNull();
                }
            }
        }
        ArrayNode faults = data.putArray("faults");
        for (FaultWindow w : r.faults()) {
            ObjectNode f = faults.addObject();
            f.put("fault", w.fault());
            f.put("colour", colour(w.kind()));
            f.put("start", round(w.start() / 1e9));
            f.put("stop", w.open() ? null : round(w.stop() / 1e9));
        }
        data.put("end", round(Math.max(1, r.end()) / 1e9));
        b.append("<div id=\"latency\"></div>\n<script>\nconst latency = ").append(ReportWriter.scriptJson(data))
                .append(";\n").append(LATENCY_SCRIPT).append("</script>\n");
    }

    // ---------------------------------------------------------------- verdicts

    private static void verdicts(StringBuilder b, ChaosReport r) {
        b.append("<h2 id=\"verdicts\">Verdicts</h2>\n");
        if (r.verdicts().isEmpty()) {
            b.append("<p>No checker judged this run, so it is not valid.</p>\n");
        }
        for (Verdict v : r.verdicts()) {
            b.append("<h3>").append(esc(v.checker())).append(' ').append(badge(v.validity().name(),
                    v.validity().name())).append("</h3>\n");
            findings(b, r, "Violations", v.violations());
            findings(b, r, "Notes", v.notes());
        }
    }

    private static void findings(StringBuilder b, ChaosReport r, String title, List<Finding> findings) {
        if (findings.isEmpty()) {
            return;
        }
        b.append("<h4>").append(title).append(" (").append(findings.size()).append(")</h4>\n");
        if (findings.size() > MAX_FINDINGS) {
            b.append("<p>The first ").append(MAX_FINDINGS).append(" shown; the JSON report has them all.</p>\n");
        }
        for (Finding f : findings.subList(0, Math.min(findings.size(), MAX_FINDINGS))) {
            b.append("<div class=\"finding\"><b>").append(esc(f.rule())).append("</b>");
            if (f.key() != null) {
                b.append(" [").append(esc(f.key())).append(']');
            }
            b.append(": ").append(esc(f.detail()));
            if (!f.operations().isEmpty()) {
                b.append("<table><tr><th>op</th><th>process</th><th>workload</th><th>f</th><th>key</th>"
                        + "<th>asked</th><th>outcome</th><th>told</th><th>error</th><th>invoked</th>"
                        + "<th>completed</th><th>latency</th></tr>");
                f.operations().forEach(op -> operationRow(b, r, op));
                b.append("</table>");
            }
            b.append("</div>\n");
        }
    }

    private static void operationRow(StringBuilder b, ChaosReport r, Operation op) {
        b.append("<tr><td><a href=\"#op-").append(op.id()).append("\">#").append(op.id()).append("</a></td><td>")
                .append(esc(op.process())).append("</td><td>").append(esc(r.workloadOf(op))).append("</td><td>")
                .append(esc(op.f())).append("</td><td>").append(esc(op.key())).append("</td><td>")
                .append(esc(cut(op.request().toString()))).append("</td><td>").append(op.outcome())
                .append("</td><td>").append(op.failed() ? "" : esc(cut(op.response().toString())))
                .append("</td><td>").append(esc(op.completion().error())).append("</td><td class=\"n\">")
                .append(seconds(op.invokedAt())).append("</td><td class=\"n\">").append(seconds(op.completedAt()))
                .append("</td><td class=\"n\">").append(ReportWriter.fmt((op.completedAt() - op.invokedAt()) / 1e6))
                .append(" ms</td></tr>");
    }

    // ---------------------------------------------------------------- figures

    /** Nanoseconds as seconds with 3 decimals, e.g. {@code 1.500 s}. */
    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    private static String px(double px) {
        return String.format(Locale.ROOT, "%.1f", px);
    }

    private static double round(double value) {
        return Math.round(value * 1e3) / 1e3;
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
