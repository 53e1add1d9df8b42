package io.dtxlab.cluster.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.cluster.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monitoring profile ({@code docker compose --profile monitoring}): the Grafana dashboard queries only metrics the
 * nodes really export ({@code deploy/grafana/exported-metrics.txt}, scraped from a running cluster under load), through
 * the datasource Grafana is provisioned with, and Prometheus scrapes every node of the topology.
 */
class GrafanaDashboardTest {

    private static final Path DEPLOY = ComposeFile.repoRoot().resolve("deploy");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/dashboards/dtx-lab.json");
    /** PromQL words that are not metric names. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private static JsonNode dashboard;
    private static Set<String> exported;

    @BeforeAll
    static void load() throws IOException {
        dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        exported = Files.readAllLines(DEPLOY.resolve("grafana/exported-metrics.txt")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
        assertThat(exported).as("the exported metric names").contains("dtx_transactions_total", "process_cpu_usage");
    }

    @Test
    void everyPanelQueriesOnlyMetricsTheNodesExport() {
        SoftAssertions softly = new SoftAssertions();
        int queries = 0;
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString();
                queries++;
                softly.assertThat(metricNames(expr)).as("metrics of panel '%s': %s", title(panel), expr).isNotEmpty()
                        .allSatisfy(name -> assertThat(exported).as("exported metric names").contains(name));
            }
        }
        assertThat(queries).isGreaterThan(10);
        softly.assertAll();
    }

    @Test
    void everyPanelUsesTheProvisionedPrometheusDatasource() throws IOException {
        Map<String, Object> provisioning = yaml(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> datasource = ((List<Map<String, Object>>) provisioning.get("datasources")).get(0);
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        SoftAssertions softly = new SoftAssertions();
        for (JsonNode panel : panels()) {
            softly.assertThat(panel.path("datasource").path("uid").asString()).as("datasource of '%s'", title(panel))
                    .isEqualTo(datasource.get("uid"));
            softly.assertThat(panel.path("targets").isEmpty()).as("'%s' has queries", title(panel)).isFalse();
        }
        softly.assertAll();
    }

    @Test
    void theDashboardHasThePanelsTheReadmeNames() {
        assertThat(panels().stream().map(GrafanaDashboardTest::title).toList())
                .contains("Transactions per second by protocol and outcome", "Phase latency p50 and p99",
                        "Order begin lane: queued and answer wait, p50 and p99",
                        "In-doubt branches", "Leader", "Ballot", "Replication lag (time)",
                        "Quorum latency p99 per (R, W)");
    }

    @Test
    void prometheusScrapesEveryNodeOfTheTopologyOnItsActuator() throws IOException {
        Map<String, Object> config = yaml(DEPLOY.resolve("prometheus/prometheus.yml"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        Set<String> targets = new TreeSet<>();
        for (Map<String, Object> job : jobs) {
            assertThat(job).containsEntry("metrics_path", "/actuator/prometheus");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> statics = (List<Map<String, Object>>) job.get("static_configs");
            statics.forEach(s -> ((List<?>) s.get("targets")).forEach(t -> targets.add(t.toString())));
        }
        assertThat(targets).containsExactlyInAnyOrderElementsOf(Topology.defaults().nodes().stream()
                .map(node -> node.id() + ":" + node.port()).toList());
    }

    @Test
    void theMonitoringProfileMountsTheseFilesAndLetsAnonymousViewersIn() throws IOException {
        ComposeFile compose = ComposeFile.load(ComposeFile.repoRoot().resolve(ComposeFile.FILE_NAME));
        SoftAssertions softly = new SoftAssertions();
        for (String name : List.of("prometheus", "grafana", "zipkin")) {
            ComposeFile.Service service = compose.service(name).orElseThrow();
            softly.assertThat(service.raw().get("profiles")).as("profiles of %s", name).isEqualTo(List.of("monitoring"));
            for (ComposeFile.Mount mount : service.volumes()) {
                if ("bind".equals(mount.type())) {
                    softly.assertThat(ComposeFile.repoRoot().resolve(mount.source()).normalize())
                            .as("what %s mounts at %s", name, mount.target()).exists();
                }
            }
        }
        softly.assertThat(compose.service("grafana").orElseThrow().environment())
                .containsEntry("GF_AUTH_ANONYMOUS_ENABLED", "true").containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
        softly.assertAll();
    }

    @Test
    void metricNamesAreTheIdentifiersOutsideLabelsGroupingsAndFunctionCalls() {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, kind) (rate(dtx_messages_seconds_bucket"
                + "{outcome=\"ok\",kind=~\"a|b\"}[$__rate_interval])))"))
                .containsExactly("dtx_messages_seconds_bucket");
        assertThat(metricNames("sum by (protocol) (rate(a_total[1m])) / sum without (node) (increase(b_total[5m]))"))
                .containsExactly("a_total", "b_total");
        assertThat(metricNames("dtx_paxos_leading == 1")).containsExactly("dtx_paxos_leading");
    }

    /** The metric names a PromQL expression reads. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"") // strings
                .replaceAll("\\{[^}]*}", " ") // label matchers
                .replaceAll("\\[[^]]*]", " ") // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " "); // groupings
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            boolean call = bare.substring(m.end()).stripLeading().startsWith("(");
            if (!call && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    private static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (!"row".equals(panel.path("type").asString())) {
                panels.add(panel);
            }
        }
        return panels;
    }

    private static String title(JsonNode panel) {
        return panel.path("title").asString();
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
    }
}
