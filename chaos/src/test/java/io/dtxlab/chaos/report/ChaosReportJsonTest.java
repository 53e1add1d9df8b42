package io.dtxlab.chaos.report;

import static io.dtxlab.chaos.report.SmallRun.MS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtxlab.chaos.history.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosReportJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theJsonCarriesEverySummaryFieldWithItsValue() throws Exception {
        JsonNode json = MAPPER.readTree(ChaosReportJson.json(SmallRun.report()));

        assertThat(json.fieldNames()).toIterable().contains("seed", "faults", "operations", "mixedOutcomes",
                "lostAcknowledged", "conservation", "inDoubtAfterHeal", "linearizable", "valid");
        assertThat(json.path("seed").asLong()).isEqualTo(42);
        assertThat(json.path("valid").isBoolean()).isTrue();
        assertThat(json.path("valid").asBoolean()).isFalse();
        // the orders checker ran and found nothing
        assertThat(json.path("mixedOutcomes").isInt()).isTrue();
        assertThat(json.path("mixedOutcomes").asInt()).isZero();
        assertThat(json.path("conservation").isBoolean()).isTrue();
        assertThat(json.path("conservation").asBoolean()).isTrue();
        assertThat(json.path("inDoubtAfterHeal").asInt()).isZero();
        assertThat(json.path("inDoubtAfterHeal").isInt()).isTrue();
        // no lost-writes checker in this run: null, not 0
        assertThat(json.has("lostAcknowledged")).isTrue();
        assertThat(json.path("lostAcknowledged").isNull()).isTrue();
        assertThat(json.path("linearizable").isBoolean()).isTrue();
        assertThat(json.path("linearizable").asBoolean()).isFalse();
    }

    @Test
    void theJsonCountsFaultsByKindAndOperationsByType() throws Exception {
        JsonNode json = MAPPER.readTree(ChaosReportJson.json(SmallRun.report()));

        JsonNode faults = json.path("faults");
        assertThat(faults.path("total").asInt()).isEqualTo(2);
        assertThat(MAPPER.convertValue(faults.path("byKind"), Map.class)).isEqualTo(Map.of("crash", 1,
                "partition", 1));
        assertThat(faults.path("windows")).hasSize(2);
        assertThat(faults.path("windows").get(0).path("fault").asText()).isEqualTo(SmallRun.CRASH);
        assertThat(faults.path("windows").get(0).path("startNanos").asLong()).isEqualTo(3 * MS);
        assertThat(faults.path("windows").get(0).path("stopNanos").asLong()).isEqualTo(8 * MS);
        assertThat(faults.path("windows").get(1).path("kind").asText()).isEqualTo("partition");
        assertThat(faults.path("windows").get(1).path("stopNanos").isNull()).as("never healed").isTrue();

        JsonNode ops = json.path("operations");
        assertThat(List.of(ops.path("total").asInt(), ops.path("ok").asInt(), ops.path("fail").asInt(),
                ops.path("info").asInt())).containsExactly(5, 3, 1, 1);
        JsonNode register = ops.path("byWorkload").path("register");
        JsonNode orders = ops.path("byWorkload").path("orders");
        assertThat(List.of(register.path("ok").asInt(), register.path("fail").asInt(), register.path("info").asInt()))
                .containsExactly(3, 0, 0);
        assertThat(List.of(orders.path("ok").asInt(), orders.path("fail").asInt(), orders.path("info").asInt()))
                .containsExactly(0, 1, 1);
    }

    @Test
    void theJsonHasTheRunAndEachVerdictWithTheOperationsThatBreakIt() throws Exception {
        JsonNode json = MAPPER.readTree(ChaosReportJson.json(SmallRun.report()));

        assertThat(json.path("command").asText()).isEqualTo(SmallRun.COMMAND);
        assertThat(json.path("workloads").toString()).isEqualTo("[\"register\",\"orders\"]");
        assertThat(json.path("start").asText()).isEqualTo("2026-12-01T14:00:00Z");
        assertThat(json.path("durationMs").asLong()).isEqualTo(60_000);
        assertThat(json.path("processes").path("c2").asText()).isEqualTo("orders");
        assertThat(json.path("notes").get(0).asText()).contains("<pause replica-1>");
        JsonNode verdicts = json.path("verdicts");
        assertThat(verdicts).hasSize(2);
        assertThat(verdicts.get(0).path("validity").asText()).isEqualTo("INVALID");
        JsonNode violation = verdicts.get(0).path("violations").get(0);
        assertThat(violation.path("rule").asText()).isEqualTo("linearizable");
        assertThat(violation.path("key").asText()).isEqualTo("k1");
        JsonNode read = violation.path("operations").get(0);
        assertThat(read.path("process").asText()).isEqualTo("c1");
        assertThat(read.path("workload").asText()).isEqualTo("register");
        assertThat(read.path("f").asText()).isEqualTo("read");
        assertThat(read.path("type").asText()).isEqualTo("ok");
        assertThat(read.path("response").asText()).isEqualTo("v0");
        assertThat(read.path("invokedNanos").asLong()).isEqualTo(11 * MS);
        assertThat(read.path("completedNanos").asLong()).isEqualTo(12 * MS);
        assertThat(verdicts.get(1).path("validity").asText()).isEqualTo("VALID");
        assertThat(verdicts.get(1).path("violations")).isEmpty();
        assertThat(verdicts.get(1).path("notes").get(0).path("detail").asText()).startsWith("2 orders");
    }

    @Test
    void writeCreatesTheFolderAndWritesTheSameJson() throws Exception {
        Path file = dir.resolve("run-42/chaos.json");

        ChaosReportJson.write(SmallRun.report(), file);

        assertThat(MAPPER.readTree(Files.readString(file))).isEqualTo(MAPPER.readTree(
                ChaosReportJson.json(SmallRun.report())));
    }

    @Test
    void anEmptyRunHasZeroCountsAndNoVerdictSoItIsNotValid() throws Exception {
        ChaosReport report = ChaosReport.of(SmallRun.RUN, new History(List.of()), p -> "register", List.of());

        JsonNode json = MAPPER.readTree(ChaosReportJson.json(report));

        assertThat(json.path("operations").path("total").asInt()).isZero();
        assertThat(json.path("operations").path("byWorkload").path("orders").path("total").asInt()).isZero();
        assertThat(json.path("faults").path("total").asInt()).isZero();
        assertThat(json.path("valid").asBoolean()).isFalse();
        assertThat(json.path("mixedOutcomes").isNull()).isTrue();
        assertThat(json.path("linearizable").isNull()).isTrue();
    }
}
