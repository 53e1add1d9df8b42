package io.dtxlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportShapeTest {

    @TempDir
    Path dir;

    static BenchReport report(String protocol, double throughput) {
        LatencyRecorder recorder = new LatencyRecorder(0, 2_000_000_000L, Set.of("CONFIRMED"), Set.of("ERROR"), 0);
        for (int i = 0; i < 100; i++) {
            long start = i * 10_000_000L;
            recorder.record(protocol, i % 10 == 0 ? "REJECTED" : "CONFIRMED", start, start, start + 3_000_000L + i * 10_000L);
        }
        Map<String, Double> rss = new HashMap<>();
        rss.put("order", null);
        rss.put("coordinator-1", 210.5);
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("consistent", true);
        audit.put("summary", "consistent: 100 transactions checked, nothing in doubt");
        return new BenchReport("orders", protocol, Map.of("customers", 1), new BenchReport.Loop("open", 64, 50.0), 2, 1,
                "2024-01-01T00:00:00Z", recorder.operations(), recorder.outcomes(), recorder.successes(), throughput,
                50, recorder.latency(), recorder.latencyByOutcome(), recorder.latencyByOperation(),
                recorder.serviceTime(), recorder.timeline(2), Map.of("participantMessagesPerTx", 12.0),
                stages(), Map.of("max", 0), 3.5, 43.75, 9.25,
                Map.of("order", 1.5, "coordinator-1", 2.0), Map.of("order", 4.5, "coordinator-1", 1.0), rss,
                Map.of("order", new BenchReport.Gc(12L, 0.084, 640.0), "coordinator-1", new BenchReport.Gc(null, null, null)),
                audit, Map.of(), List.of(),
                Bench.machine(Map.of("before", 10.5, "after", 12.0)));
    }

    /** The shape {@code OrdersWorkload} reports: the lane's two waits, then the coordinators' phases per protocol. */
    private static Map<String, Object> stages() {
        Map<String, Object> stages = new LinkedHashMap<>();
        stages.put("beginQueued", Map.of("p50", 12.5, "p99", 40.0));
        Map<String, Object> answer = new HashMap<>();
        answer.put("p50", 30.0);
        answer.put("p99", null); // no figure
        stages.put("beginAnswer", answer);
        Map<String, Object> phases = new LinkedHashMap<>();
        phases.put("voting", Map.of("p50", 18.0, "p99", 58.0));
        phases.put("commit", Map.of("p50", 9.0, "p99", 43.0));
        stages.put("coordinator", Map.of("2PC", phases));
        return stages;
    }

    @Test
    void theJsonHasTheDocumentedFields() throws Exception {
        JsonNode json = Http.json().readTree(ReportWriter.json(report("2PC", 45)));

        assertThat(json.fieldNames()).toIterable().contains("workload", "protocol", "loop", "durationS", "warmupS",
                "outcomes", "throughputPerS", "latencyMs", "latencyByOutcomeMs", "serviceTimeMs", "timeline", "messages",
                "stagesMs", "leaderChanges", "cpuMsPerOp", "cpuBusyPercent", "cpuWaitMsPerOp", "cpuSecondsByNode",
                "cpuWaitSecondsByNode", "rssMbByNode", "gcByNode", "audit", "startedAt",
                "machine");
        assertThat(json.path("gcByNode").path("order").path("pauses").asLong()).isEqualTo(12);
        assertThat(json.path("gcByNode").path("order").path("pauseSeconds").asDouble()).isEqualTo(0.084);
        assertThat(json.path("gcByNode").path("order").path("allocatedMb").asDouble()).isEqualTo(640.0);
        assertThat(json.path("gcByNode").path("coordinator-1").path("pauses").isNull()).isTrue();
        assertThat(json.path("cpuWaitMsPerOp").asDouble()).isEqualTo(9.25);
        assertThat(json.path("cpuWaitSecondsByNode").path("order").asDouble()).isEqualTo(4.5);
        assertThat(json.path("loop").path("type").asText()).isEqualTo("open");
        assertThat(json.path("loop").path("concurrency").asInt()).isEqualTo(64);
        assertThat(json.path("loop").path("rate").asDouble()).isEqualTo(50.0);
        assertThat(json.path("latencyMs").fieldNames()).toIterable()
                .contains("count", "mean", "p50", "p90", "p99", "p999", "max");
        assertThat(json.path("outcomes").path("CONFIRMED").asLong() + json.path("outcomes").path("REJECTED").asLong())
                .isEqualTo(json.path("operations").asLong()).isEqualTo(100);
        assertThat(json.path("timeline").get(0).fieldNames()).toIterable().contains("t", "opsPerS", "p99Ms");
        assertThat(json.path("rssMbByNode").has("order")).isTrue();
        assertThat(json.path("rssMbByNode").path("order").isNull()).isTrue();
        assertThat(json.path("audit").path("consistent").asBoolean()).isTrue();
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.path("machine").path("hostLoopMs").path("before").asDouble()).isEqualTo(10.5);
        assertThat(json.path("machine").path("hostLoopMs").path("after").asDouble()).isEqualTo(12.0);
    }

    @Test
    void theHtmlIsSelfContainedAndACompareHasRatios() throws Exception {
        BenchReport none = report("NONE", 100);
        BenchReport twoPc = report("2PC", 50);
        CompareReport compare = new CompareReport("orders", List.of(none, twoPc), Ratios.of(List.of(none, twoPc)));
        Path html = dir.resolve("sub/report.html");

        ReportWriter.writeHtml(compare, html);

        String page = Files.readString(html);
        assertThat(page).contains("uPlot", "const runs = ", "tput-1", "lat-0").doesNotContain("<script src", "<link");
        assertThat(compare.ratios()).anySatisfy(r -> {
            assertThat(r.metric()).isEqualTo("throughputPerS");
            assertThat(r.value()).isEqualTo(0.5);
            assertThat(r.meaning()).contains("distribution tax");
        });
        assertThat(ReportWriter.text(compare)).contains("2PC / NONE = 0.5");
        assertThat(ReportWriter.text(twoPc)).contains("CONFIRMED", "REJECTED", "audit", "coordinator-1", "gc pauses");
        // 640 MiB over the report's 90 successes
        assertThat(ReportWriter.allocatedKbPerOp(twoPc)).isEqualTo(Math.round(640.0 * 1024 / 90 * 1000) / 1000.0);
        assertThat(page).contains("KiB allocated per successful op");
    }

    @Test
    void theStagesAndTheHostSpeedShowInTheTerminalAndThePage() throws Exception {
        BenchReport twoPc = report("2PC", 50);

        assertThat(ReportWriter.stageRows(twoPc.stagesMs())).containsExactly(
                new ReportWriter.StageRow("beginQueued", 12.5, 40.0),
                new ReportWriter.StageRow("beginAnswer", 30.0, null),
                new ReportWriter.StageRow("coordinator 2PC voting", 18.0, 58.0),
                new ReportWriter.StageRow("coordinator 2PC commit", 9.0, 43.0));
        assertThat(ReportWriter.text(twoPc)).containsPattern("coordinator 2PC voting\\s+18\\s+58\\n")
                .containsPattern("beginAnswer\\s+30\\s+-\\n").contains("cpu busy    43.750 %")
                .contains("cpu wait ms/op 9.250 (threads ready to run, waiting for a core)")
                .containsPattern("order\\s+1\\.500\\s+4\\.500\\s+-\\s+12")
                .contains("host loop   10.500 ms before, 12.000 ms after (a fixed CPU loop in the bench, best of 5; lower is "
                        + "faster)");
        Path html = dir.resolve("stages.html");
        ReportWriter.writeHtml(new CompareReport("orders", List.of(twoPc), List.of()), html);
        assertThat(Files.readString(html)).contains("where the time went (ms)",
                "<tr><td>coordinator 2PC commit</td><td>9</td><td>43</td></tr>", "cpu busy, % of", "host loop 10.500 ms before",
                "<tr><td>cpu wait ms per successful op (ready to run, waiting for a core)</td><td colspan=\"6\">9.250");
    }
}
