package io.dtxlab.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.chaos.history.History;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChaosReportTest {

    @Test
    void processesKeepTheOrderTheyFirstAppearInAndTheirWorkload() {
        ChaosReport report = SmallRun.report();

        assertThat(report.workloadByProcess()).containsExactly(Map.entry("c1", "register"),
                Map.entry("c2", "orders"));
        assertThat(report.end()).isEqualTo(12 * SmallRun.MS);
        assertThat(report.faultsByKind()).containsExactly(Map.entry("crash", 1), Map.entry("partition", 1));
    }

    @Test
    void aProcessTheRunnerDoesNotMapIsUnassignedAndCountedApart() {
        ChaosReport report = ChaosReport.of(SmallRun.RUN, SmallRun.HISTORY, Map.of("c1", "register")::get,
                List.of());

        assertThat(report.workloadByProcess()).containsEntry("c2", ChaosReport.UNASSIGNED);
        assertThat(report.countsByWorkload()).containsExactly(
                Map.entry("register", new OperationCounts(3, 0, 0)),
                Map.entry("orders", OperationCounts.NONE),
                Map.entry(ChaosReport.UNASSIGNED, new OperationCounts(0, 1, 1)));
        assertThat(report.counts()).isEqualTo(new OperationCounts(3, 1, 1));
    }

    @Test
    void anInvokeTheHistoryNeverCompletesCountsAsInfo() {
        History cut = new History(SmallRun.HISTORY.events().subList(0, 2));

        ChaosReport report = ChaosReport.of(SmallRun.RUN, cut, p -> "register", List.of());

        assertThat(report.counts()).isEqualTo(new OperationCounts(0, 0, 2));
    }

    @Test
    void anOperationOfAProcessWithoutAWorkloadIsRefused() {
        assertThatThrownBy(() -> new ChaosReport(SmallRun.RUN, Map.of(), SmallRun.HISTORY.operations(), List.of(),
                0, List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c1");
    }
}
