package io.dtxlab.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every service promises over real HTTP: Swagger UI, a titled OpenAPI document in which every
 * operation has a summary, its bodies and its error responses, health with liveness and readiness,
 * info naming the node, and Prometheus metrics.
 */
public final class ServiceContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ServiceContract() {
    }

    public static void assertServesTheBasics(LabNode node, String module, String role) {
        assertServesSwaggerUi(node);
        assertOpenApiDocumentIsComplete(node, module);
        assertHealthy(node);
        assertInfoNamesTheNode(node, role);
        assertServesPrometheus(node);
    }

    public static void assertServesSwaggerUi(LabNode node) {
        ResponseEntity<String> redirect = node.http().get().uri("/swagger-ui.html").retrieve().toEntity(String.class);
        assertThat(redirect.getStatusCode().is3xxRedirection() || redirect.getStatusCode().is2xxSuccessful())
                .as("GET /swagger-ui.html on %s answered %s", node.id(), redirect.getStatusCode()).isTrue();
        ResponseEntity<String> page = node.http().get().uri("/swagger-ui/index.html").retrieve().toEntity(String.class);
        assertThat(page.getStatusCode().value()).isEqualTo(200);
        assertThat(page.getBody()).containsIgnoringCase("swagger-ui");
    }

    public static JsonNode assertOpenApiDocumentIsComplete(LabNode node, String module) {
        JsonNode doc = json(node, "/v3/api-docs");
        assertThat(doc.path("info").path("title").asString()).contains(module).contains(node.id());
        assertThat(doc.path("components").path("securitySchemes").has("clusterToken")).isTrue();
        assertThat(doc.path("components").path("securitySchemes").has("adminToken")).isTrue();
        List<String> gaps = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode operation = op.getValue();
                if (operation.path("summary").asString("").isBlank()) {
                    gaps.add(name + ": no summary");
                }
                JsonNode responses = operation.path("responses");
                boolean success = false;
                boolean error = false;
                for (Map.Entry<String, JsonNode> response : responses.properties()) {
                    success |= response.getKey().startsWith("2");
                    error |= (response.getKey().startsWith("4") || response.getKey().startsWith("5"))
                            && response.getValue().path("content").has("application/problem+json");
                }
                if (!success) {
                    gaps.add(name + ": no success response");
                }
                if (!error) {
                    gaps.add(name + ": no problem-detail error response");
                }
                if (op.getKey().equals("get") && !responses.path("200").path("content").isObject()) {
                    gaps.add(name + ": no response body");
                }
                boolean secured = path.getKey().startsWith("/internal/") || path.getKey().startsWith("/admin/");
                if (secured && (!responses.has("401") || operation.path("security").isEmpty())) {
                    gaps.add(name + ": no token requirement or 401");
                }
            }
        }
        assertThat(gaps).as("OpenAPI gaps on %s", node.id()).isEmpty();
        return doc;
    }

    /**
     * Health, liveness and readiness UP (readiness may take an election: a coordinator is ready once it is in a
     * quorum and knows its leader), with every component's details for the admin token and none without.
     */
    public static void assertHealthy(LabNode node) {
        assertThat(json(node, "/actuator/health").path("status").asString()).isEqualTo("UP");
        assertThat(json(node, "/actuator/health/liveness").path("status").asString()).isEqualTo("UP");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                json(node, "/actuator/health/readiness").path("status").asString()).isEqualTo("UP"));
        assertThat(json(node, "/actuator/health").has("components")).as("health details without a token").isFalse();
        JsonNode details = parse(node.admin().get().uri("/actuator/health").retrieve().body(String.class));
        assertThat(details.path("components").has("readinessState")).as("health details with the admin token: %s",
                details).isTrue();
    }

    public static void assertInfoNamesTheNode(LabNode node, String role) {
        JsonNode info = json(node, "/actuator/info").path("node");
        assertThat(info.path("id").asString()).isEqualTo(node.id());
        assertThat(info.path("role").asString()).isEqualTo(role);
        assertThat(info.path("incarnation").asLong()).isPositive();
    }

    public static void assertServesPrometheus(LabNode node) {
        ResponseEntity<String> metrics = node.http().get().uri("/actuator/prometheus").retrieve().toEntity(String.class);
        assertThat(metrics.getStatusCode().value()).isEqualTo(200);
        assertThat(metrics.getBody()).contains("jvm_memory_used_bytes").contains("node=\"" + node.id() + "\"")
                // what a benchmark reads: the process's CPU time and resident memory
                .contains("process_cpu_time_ns_total").contains("process_resident_memory_bytes");
    }

    /** GETs {@code path} from the node and parses the JSON answer, asserting a 2xx status. */
    public static JsonNode json(LabNode node, String path) {
        ResponseEntity<String> response = node.http().get().uri(path).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().is2xxSuccessful())
                .as("GET %s on %s answered %s: %s", path, node.id(), response.getStatusCode(), response.getBody())
                .isTrue();
        return parse(response.getBody());
    }

    public static JsonNode parse(String body) {
        return JSON.readTree(body);
    }
}
