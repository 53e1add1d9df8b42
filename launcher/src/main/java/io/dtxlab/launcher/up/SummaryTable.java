package io.dtxlab.launcher.up;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.workspace.Workspace;

/**
 * What one needs once the cluster is up: where each node is, its Swagger UI, the console, and how to pass the tokens
 * without ever printing them (they would end up in terminal scrollback and CI logs).
 */
final class SummaryTable {

    private SummaryTable() {
    }

    static void print(ProgressLog log, Workspace workspace, Topology topology) {
        String row = "  %-15s %-24s %s";
        StringBuilder table = new StringBuilder("\n");
        table.append(String.format(row, "NODE", "URL", "SWAGGER UI")).append('\n');
        for (ClusterNode node : topology.nodes()) {
            String url = node.url("localhost");
            table.append(String.format(row, node.id(), url, url + "/swagger-ui.html")).append('\n');
        }
        table.append(String.format(row, Topology.KAFKA, "localhost:" + topology.kafkaPort(), "(inside this launcher)"))
                .append('\n');
        String dtx = "./dtx token %s" + workspace.dataDirArgument();
        String someNode = topology.nodes().get(0).url("localhost");
        String consoleNode = topology.nodes().stream().filter(n -> n.id().equals("order")).findFirst()
                .orElse(topology.nodes().get(0)).url("localhost");
        table.append('\n')
                .append("  Console: ").append(consoleNode).append("/console/   (every node serves it; its buttons take ")
                .append("the admin token, from ").append(String.format(dtx, "admin")).append(")\n")
                .append("  Tokens stay in ").append(workspace.secretsDir()).append("; pass them without printing them:\n")
                .append("    curl -H \"X-Admin-Token: $(").append(String.format(dtx, "admin")).append(")\" ")
                .append(someNode).append("/...\n")
                .append("    curl -H \"X-Cluster-Token: $(").append(String.format(dtx, "cluster")).append(")\" ")
                .append(someNode).append("/...\n")
                .append("  Other terminal: ./dtx status | ./dtx logs NODE -f | ./dtx kill NODE | ./dtx start NODE")
                .append(workspace.dataDirArgument().isEmpty() ? "" : "   (add" + workspace.dataDirArgument() + ")")
                .append('\n');
        log.line(table.toString());
        log.line("All " + topology.nodes().size() + " nodes healthy in " + ProgressLog.seconds(log.elapsedSeconds()));
        log.line("Press Ctrl-C to stop the cluster.");
    }
}
