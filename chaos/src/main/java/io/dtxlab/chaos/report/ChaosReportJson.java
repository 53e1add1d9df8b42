package io.dtxlab.chaos.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtxlab.bench.ReportWriter;
import io.dtxlab.chaos.check.Finding;
import io.dtxlab.chaos.check.Verdict;
import io.dtxlab.chaos.history.FaultWindow;
import io.dtxlab.chaos.history.Operation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link ChaosReport} as JSON, for scripts and CI: one object, its fields in this order.
 * <pre>{@code
 * {
 *   "seed": 42,
 *   "command": "./dtx chaos --seed 42 ...",
 *   "workloads": ["orders"],
 *   "start": "2026-12-01T14:00:00Z",          // ISO-8601, UTC
 *   "durationMs": 60000,
 *   "valid": false,                           // every verdict VALID (and at least one)
 *   "faults": {"total": 2, "byKind": {"crash": 1, "partition": 1},
 *              "windows": [{"fault": "crash coordinator-2", "kind": "crash",
 *                           "startNanos": 1500000000, "stopNanos": 4500000000}]},   // stopNanos null: never healed
 *   "operations": {"total": 10, "ok": 7, "fail": 1, "info": 2,
 *                  "byWorkload": {"orders": {"total": 10, "ok": 7, "fail": 1, "info": 2}}},
 *   "mixedOutcomes": 1,                       // these five: null when no checker of theirs ran (see Summary)
 *   "lostAcknowledged": null,
 *   "conservation": true,
 *   "inDoubtAfterHeal": 0,
 *   "linearizable": null,
 *   "processes": {"c1": "orders", "c2": "orders"},
 *   "verdicts": [{"checker": "orders", "validity": "INVALID",
 *                 "violations": [{"rule": "...", "key": "tx-1", "detail": "...", "operations": [
 *                     {"id": 4, "process": "c1", "workload": "orders", "f": "order", "key": null, "type": "ok",
 *                      "request": {...}, "response": {...}, "error": null,
 *                      "invokedNanos": 1200000, "completedNanos": 3300000}]}],
 *                 "notes": [...]}],
 *   "notes": ["..."]                          // the runner's
 * }
 * }</pre>
 * Times in the history's unit, nanoseconds since the run's start; an operation's request and response are the
 * history's values as they are.
 */
public final class ChaosReportJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ChaosReportJson() {
    }

    /** The report as a JSON tree, shaped as above. */
    public static ObjectNode tree(ChaosReport report) {
        ObjectNode json = NODES.objectNode();
        ChaosReport.Run run = report.run();
        json.put("seed", run.seed());
        json.put("command", run.command());
        ArrayNode workloads = json.putArray("workloads");
        run.workloads().forEach(workloads::add);
        json.put("start", run.start().toString());
        json.put("durationMs", run.duration().toMillis());
        Summary summary = report.summary();
        json.put("valid", summary.valid());
        json.set("faults", faults(report));
        json.set("operations", operations(report));
        json.put("mixedOutcomes", summary.mixedOutcomes());
        json.put("lostAcknowledged", summary.lostAcknowledged());
        json.put("conservation", summary.conservation());
        json.put("inDoubtAfterHeal", summary.inDoubtAfterHeal());
        json.put("linearizable", summary.linearizable());
        ObjectNode processes = json.putObject("processes");
        report.workloadByProcess().forEach(processes::put);
        ArrayNode verdicts = json.putArray("verdicts");
        report.verdicts().forEach(v -> verdicts.add(verdict(v, report)));
        ArrayNode notes = json.putArray("notes");
        run.notes().forEach(notes::add);
        return json;
    }

    /** The report as indented JSON text. */
    public static String json(ChaosReport report) {
        return ReportWriter.json(tree(report));
    }

    /** Writes the report's JSON to {@code file} (UTF-8, replaced), creating its folder. */
    public static void write(ChaosReport report, Path file) throws IOException {
        ReportWriter.writeJson(tree(report), file);
    }

    private static ObjectNode faults(ChaosReport report) {
        ObjectNode faults = NODES.objectNode();
        faults.put("total", report.faults().size());
        ObjectNode byKind = faults.putObject("byKind");
        report.faultsByKind().forEach(byKind::put);
        ArrayNode windows = faults.putArray("windows");
        for (FaultWindow w : report.faults()) {
            ObjectNode window = windows.addObject();
            window.put("fault", w.fault());
            window.put("kind", w.kind());
            window.put("startNanos", w.start());
            window.put("stopNanos", w.open() ? null : w.stop());
        }
        return faults;
    }

    private static ObjectNode operations(ChaosReport report) {
        ObjectNode operations = counts(report.counts());
        ObjectNode byWorkload = operations.putObject("byWorkload");
        report.countsByWorkload().forEach((workload, counts) -> byWorkload.set(workload, counts(counts)));
        return operations;
    }

    private static ObjectNode counts(OperationCounts counts) {
        ObjectNode json = NODES.objectNode();
        json.put("total", counts.total());
        json.put("ok", counts.ok());
        json.put("fail", counts.fail());
        json.put("info", counts.info());
        return json;
    }

    private static ObjectNode verdict(Verdict verdict, ChaosReport report) {
        ObjectNode json = NODES.objectNode();
        json.put("checker", verdict.checker());
        json.put("validity", verdict.validity().name());
        json.set("violations", findings(verdict.violations(), report));
        json.set("notes", findings(verdict.notes(), report));
        return json;
    }

    private static ArrayNode findings(List<Finding> findings, ChaosReport report) {
        ArrayNode json = NODES.arrayNode();
        for (Finding f : findings) {
            ObjectNode finding = json.addObject();
            finding.put("rule", f.rule());
            finding.put("key", f.key());
            finding.put("detail", f.detail());
            ArrayNode operations = finding.putArray("operations");
            f.operations().forEach(op -> operations.add(operation(op, report)));
        }
        return json;
    }

    /** One operation: who, what, how it ended and when (nanoseconds since the run's start). */
    static ObjectNode operation(Operation op, ChaosReport report) {
        ObjectNode json = NODES.objectNode();
        json.put("id", op.id());
        json.put("process", op.process());
        json.put("workload", report.workloadOf(op));
        json.put("f", op.f());
        json.put("key", op.key());
        json.put("type", op.outcome());
        json.set("request", op.request());
        json.set("response", op.response());
        json.put("error", op.completion().error());
        json.put("invokedNanos", op.invokedAt());
        json.put("completedNanos", op.completedAt());
        return json;
    }
}
