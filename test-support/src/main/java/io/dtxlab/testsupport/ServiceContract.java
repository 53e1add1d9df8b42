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
 * What every service promises over real HTTP: Swagger UI, a titled OpenAPI document in which every operation has a
 * summary, its bodies, its real status codes and examples of its successes and of its problem-detail errors, health
 * with liveness and readiness, info naming the node, and Prometheus metrics.
 */
public final class ServiceContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The console's relay of its admin buttons, as the document names its path. */
    private static final String CONSOLE_RELAY = "/admin/console/nodes/{node}/{path}";

    /**
     * The operations of the platform, which every node serves: among them the console's reads and its relay of the
     * admin buttons, which answer what the node they ask answers, and 404 and 502 of their own.
     */
    static final List<String> PLATFORM_OPERATIONS = List.of("GET /peers", "GET /internal/ping",
            "POST /admin/ping/{nodeId}", "GET /admin/messages", "POST /admin/crash", "POST /admin/faults",
            "GET /admin/faults", "DELETE /admin/faults", "GET /admin/faults/points", "DELETE /admin/faults/{id}",
            "GET /admin/partition", "PUT /admin/partition", "DELETE /admin/partition", "GET /console/api/stream",
            "GET /console/api/transactions/{xid}", "GET /console/api/audit", "GET /console/api/ring",
            "GET /console/api/quorum/{key}", "POST /console/api/orders", "GET " + CONSOLE_RELAY,
            "POST " + CONSOLE_RELAY, "PUT " + CONSOLE_RELAY, "DELETE " + CONSOLE_RELAY);

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

    /**
     * The document is titled after the module and node and has both token schemes and the platform's operations
     * ({@link #PLATFORM_OPERATIONS}); every operation has a summary, at least one 2xx or 3xx answer (in
     * {@code application/json} when it has a body), and every 2xx or 3xx answer with a body has an example, so that
     * an operation that answers with a body shows a success; the errors the platform answers on it (500 everywhere;
     * 400, 413 and 415 with a body; 401 and 403 with a token; 404 and 502 where the console asks another node), and
     * every error is an {@code application/problem+json} problem detail with an example.
     */
    public static JsonNode assertOpenApiDocumentIsComplete(LabNode node, String module) {
        JsonNode doc = json(node, "/v3/api-docs");
        assertThat(doc.path("info").path("title").asString()).contains(module).contains(node.id());
        assertThat(doc.path("components").path("securitySchemes").has("clusterToken")).isTrue();
        assertThat(doc.path("components").path("securitySchemes").has("adminToken")).isTrue();
        List<String> gaps = new ArrayList<>();
        PLATFORM_OPERATIONS.stream()
                .filter(name -> operation(doc, name.split(" ")[0], name.split(" ")[1]).isMissingNode())
                .forEach(name -> gaps.add(name + ": not in the document"));
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String name = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode operation = op.getValue();
                if (operation.path("summary").asString("").isBlank()) {
                    gaps.add(name + ": no summary");
                }
                JsonNode responses = operation.path("responses");
                boolean success = false;
                for (Map.Entry<String, JsonNode> response : responses.properties()) {
                    String code = response.getKey();
                    JsonNode content = response.getValue().path("content");
                    if (code.startsWith("2") || code.startsWith("3")) {
                        success = true;
                        content.properties().forEach(media -> {
                            String type = media.getKey();
                            // a server-sent event stream (the console's) is the one success that is not JSON
                            if (!type.equals("application/json") && !type.equals("text/event-stream")) {
                                gaps.add(name + ": " + code + " answers " + type + ", not application/json");
                            }
                            if (media.getValue().path("examples").isEmpty() && !media.getValue().has("example")) {
                                gaps.add(name + ": " + code + " has no example");
                            }
                        });
                    } else {
                        JsonNode problem = content.path("application/problem+json");
                        if (content.size() != 1 || !problem.path("schema").path("$ref").asString("")
                                .endsWith("/Problem")) {
                            gaps.add(name + ": " + code + " is not only a problem detail: " + content);
                        }
                        if (problem.path("examples").isEmpty()) {
                            gaps.add(name + ": " + code + " has no example");
                        }
                    }
                }
                if (!success) {
                    gaps.add(name + ": no success response");
                }
                List<String> expected = new ArrayList<>(List.of("500"));
                if (operation.has("requestBody")) {
                    expected.addAll(List.of("400", "413", "415"));
                }
                boolean relayed = path.getKey().startsWith("/admin/console/")
                        || path.getKey().startsWith("/console/api/") && !path.getKey().endsWith("/stream");
                if (relayed) {
                    expected.addAll(List.of("404", "502"));
                }
                boolean secured = path.getKey().startsWith("/internal/") || path.getKey().startsWith("/admin/");
                if (secured) {
                    expected.addAll(List.of("401", "403"));
                    if (operation.path("security").isEmpty()) {
                        gaps.add(name + ": no token requirement");
                    }
                }
                expected.stream().filter(code -> !responses.has(code))
                        .forEach(code -> gaps.add(name + ": no " + code));
                if (op.getKey().equals("get") && !responses.path("200").path("content").isObject()) {
                    gaps.add(name + ": no response body");
                }
            }
        }
        refs(doc, gaps, doc);
        assertThat(gaps).as("OpenAPI gaps on %s", node.id()).isEmpty();
        assertServiceFileIsApplied(doc, module);
        return doc;
    }

    /** Adds to {@code gaps} every {@code $ref} under {@code node} that names nothing in {@code doc}. */
    private static void refs(JsonNode doc, List<String> gaps, JsonNode node) {
        if (node.isObject()) {
            String ref = node.path("$ref").asString("");
            if (ref.startsWith("#/") && doc.at(ref.substring(1)).isMissingNode()
                    && !gaps.contains("broken reference " + ref)) {
                gaps.add("broken reference " + ref);
            }
        }
        if (node.isObject() || node.isArray()) {
            node.forEach(child -> refs(doc, gaps, child));
        }
    }

    /**
     * The service's {@code openapi/<module>.json} took effect: the document's tags begin with the ones it names, in
     * its order, and every example it gives is in the document, as is every example of the platform's file
     * ({@code openapi/service-platform.json}) and of the files it includes (a renamed path or a dropped response would
     * leave one out).
     */
    private static void assertServiceFileIsApplied(JsonNode doc, String module) {
        JsonNode file = serviceFile(module);
        List<String> named = new ArrayList<>();
        file.path("tags").forEach(tag -> named.add(tag.asString()));
        assertThat(tagNames(doc)).as("tags of %s", module).startsWith(named.toArray(String[]::new));
        List<String> files = new ArrayList<>(List.of("service-platform"));
        file.path("include").forEach(included -> files.add(included.asString()));
        files.add(module);
        List<String> missing = new ArrayList<>();
        for (String name : files) {
            for (Map.Entry<String, JsonNode> operation : serviceFile(name).path("examples").properties()) {
                String[] op = operation.getKey().split(" ", 2);
                for (Map.Entry<String, JsonNode> response : operation.getValue().properties()) {
                    JsonNode content = operation(doc, op[0], op[1]).path("responses").path(response.getKey())
                            .path("content");
                    response.getValue().propertyNames().forEach(example -> {
                        boolean found = false;
                        for (JsonNode media : content) {
                            found |= media.path("examples").has(example);
                        }
                        if (!found) {
                            missing.add(name + ": " + operation.getKey() + " " + response.getKey() + " " + example);
                        }
                    });
                }
            }
        }
        assertThat(missing).as("examples of the openapi/*.json files of %s missing from the document", module)
                .isEmpty();
    }

    private static JsonNode serviceFile(String module) {
        try (var in = ServiceContract.class.getClassLoader().getResourceAsStream("openapi/" + module + ".json")) {
            assertThat(in).as("openapi/%s.json on the classpath", module).isNotNull();
            return JSON.readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The response codes {@code method path} documents, e.g. {@code ["201", "202", "400", ...]}, in order. */
    public static List<String> responseCodes(JsonNode doc, String method, String path) {
        JsonNode responses = operation(doc, method, path).path("responses");
        assertThat(responses.isObject()).as("%s %s in the document", method, path).isTrue();
        return new ArrayList<>(responses.propertyNames());
    }

    /** The examples of one response of {@code method path}, by name, under its only media type. */
    public static JsonNode examples(JsonNode doc, String method, String path, String code) {
        JsonNode content = operation(doc, method, path).path("responses").path(code).path("content");
        assertThat(content.size()).as("media types of %s %s %s", method, path, code).isEqualTo(1);
        return content.properties().iterator().next().getValue().path("examples");
    }

    /** The names of the document's tags, in its order (the order Swagger UI shows). */
    public static List<String> tagNames(JsonNode doc) {
        List<String> tags = new ArrayList<>();
        doc.path("tags").forEach(tag -> tags.add(tag.path("name").asString()));
        return tags;
    }

    private static JsonNode operation(JsonNode doc, String method, String path) {
        return doc.path("paths").path(path).path(method.toLowerCase(java.util.Locale.ROOT));
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
