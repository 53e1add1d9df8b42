package io.dtxlab.bench;

import java.util.Locale;
import java.util.Map;

/**
 * What the cluster costs at rest: no load is sent, every node is scraped at the start and the end of the window.
 *
 * @param workload always {@code rest}
 * @param durationS the window, seconds
 * @param startedAt when the window began (ISO-8601)
 * @param cpuSecondsByNode CPU seconds each node (and the launcher with Kafka, when local) used in the window
 * @param cpuPercentOfOneCoreByNode the same as a share of one core: 100 is one core busy all the window
 * @param totalPercentOfOneCore the whole cluster's share of one core
 * @param rssMbByNode resident memory at the end, MiB
 * @param leaderChanges Paxos leader changes in the window ({@code max}, {@code byCoordinator}, ballots)
 * @param machine cores, operating system, Java
 */
public record RestReport(String workload, double durationS, String startedAt, Map<String, Double> cpuSecondsByNode,
        Map<String, Double> cpuPercentOfOneCoreByNode, Double totalPercentOfOneCore, Map<String, Double> rssMbByNode,
        Map<String, Object> leaderChanges, Map<String, Object> machine) {

    /** A terminal table: one line per node, then the total. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nrest: %.0f s with no load%n", durationS));
        b.append(String.format(Locale.ROOT, "  %-18s %10s %12s %9s%n", "node", "cpu s", "% of a core", "rss MiB"));
        cpuSecondsByNode.forEach((node, cpu) -> b.append(String.format(Locale.ROOT, "  %-18s %10s %12s %9s%n", node,
                ReportWriter.fmt(cpu), ReportWriter.fmt(cpuPercentOfOneCoreByNode.get(node)),
                ReportWriter.fmt(rssMbByNode.get(node)))));
        b.append(String.format(Locale.ROOT, "  %-18s %10s %12s%n", "total", "", ReportWriter.fmt(totalPercentOfOneCore)));
        b.append("  leader changes: ").append(leaderChanges.get("max")).append(System.lineSeparator());
        return b.toString();
    }
}
