package io.dtxlab.platform.console;

import io.dtxlab.core.cluster.NodeRole;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.util.UriUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web console: one page ({@code /console/}, static files of this module) and what it reads. Every node serves it
 * (it lives in the platform, which every service has), so any node's port opens it, under {@code ./dtx up} and under
 * docker compose alike, with nothing else to install. The page talks only to the node that served it; that node reads
 * the rest of the cluster for it ({@link ClusterObserver}), because a browser can reach neither compose's container
 * addresses nor other origins. Each read below answers with the node's own status and body; a node that does not
 * answer is a 502 problem detail naming it.
 */
@RestController
@Tag(name = "Console", description = "The web console at /console/ and the reads behind it")
class ConsoleController {

    private static final String NONE_ANSWERED = "No node of the role answered (refused, timed out): the problem names "
            + "each and why";
    private static final Duration AUDIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ORDER_TIMEOUT = Duration.ofSeconds(40);
    /** Longer than a replica waits for the others (dtx.quorum.request-timeout, 2 s), so its 503 or 504 comes back. */
    private static final Duration QUORUM_TIMEOUT = Duration.ofSeconds(10);

    private final ConsoleStream stream;
    private final ClusterObserver observer;
    private final JsonMapper json;

    ConsoleController(ConsoleStream stream, ClusterObserver observer, JsonMapper json) {
        this.stream = stream;
        this.observer = observer;
        this.json = json;
    }

    @GetMapping({"/console", "/console/"})
    @Hidden // the page, not an API: a redirect to /console/index.html
    ResponseEntity<Void> page() {
        return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, "/console/index.html").build();
    }

    @GetMapping(path = "/console/api/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Follow the cluster live (server-sent events)",
            description = "Events `snapshot` (the cluster map: nodes and health, coordinators, replication, branches in "
                    + "doubt, recent transactions; sent when it changes) and `cluster-event` (each event of the Kafka "
                    + "topic dtx.cluster-events). The node reads the cluster only while some browser follows it.")
    @ApiResponse(responseCode = "200", description = "The stream: a comment naming the serving node, the last map, the "
            + "recent events, then each change as it comes; a keep-alive comment every 15 s", content = @Content(
                    mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
    SseEmitter follow() {
        return stream.connect();
    }

    @GetMapping("/console/api/transactions/{xid}")
    @Operation(summary = "One transaction with its timeline, from the first coordinator that answers")
    @ApiResponse(responseCode = "200", description = "The coordinator's GET /transactions/{xid}: votes, decision, "
            + "acknowledgements, timeline", content = @Content(schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "404", description = "Unknown transaction (the coordinator's 404), or no coordinator "
            + "in this cluster (dtx.cluster.members)")
    @ApiResponse(responseCode = "502", description = NONE_ANSWERED)
    ResponseEntity<String> transaction(@PathVariable String xid) {
        return first(NodeRole.COORDINATOR, "GET", "/transactions/" + segment(xid), null, null);
    }

    @GetMapping("/console/api/audit")
    @Operation(summary = "The coordinators' audit of every decided transaction against the participants (may take seconds)")
    @ApiResponse(responseCode = "200", description = "The coordinator's GET /audit: mixed outcomes, half-done "
            + "transactions, branches in doubt, the participants' invariants", content = @Content(schema = @Schema(
                    type = "object")))
    @ApiResponse(responseCode = "404", description = "No coordinator in this cluster (dtx.cluster.members)")
    @ApiResponse(responseCode = "502", description = NONE_ANSWERED + " (within 30 s each)")
    ResponseEntity<String> audit() {
        return first(NodeRole.COORDINATOR, "GET", "/audit", null, AUDIT_TIMEOUT);
    }

    @GetMapping("/console/api/ring")
    @Operation(summary = "The quorum ring, and a key's preference list and stand-ins, from the first replica that answers")
    @ApiResponse(responseCode = "200", description = "The replica's GET /quorum/ring: N, the nodes and their tokens; "
            + "with key, its preference list", content = @Content(schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "404", description = "No replica in this cluster (dtx.cluster.members)")
    @ApiResponse(responseCode = "502", description = NONE_ANSWERED)
    ResponseEntity<String> ring(@RequestParam(required = false) String key) {
        return first(NodeRole.REPLICA, "GET", "/quorum/ring" + (key == null ? "" : "?key=" + param(key)), null, null);
    }

    @GetMapping("/console/api/quorum/{key}")
    @Operation(summary = "A quorum read of a key through the first replica that answers: 200, or 300 with siblings")
    @ApiResponse(responseCode = "200", description = "The replica's GET /quorum/kv/{key}: the one version and its "
            + "context", content = @Content(schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "300", description = "Siblings: concurrent versions, and the context that resolves "
            + "them", content = @Content(schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "400", description = "The replica refused the key or r (the field is named)")
    @ApiResponse(responseCode = "404", description = "No replica that answered holds the key (the replica's 404), or "
            + "no replica in this cluster")
    @ApiResponse(responseCode = "502", description = NONE_ANSWERED)
    @ApiResponse(responseCode = "503", description = "Fewer than R replicas answered (type "
            + "urn:dtx:problem:quorum-not-reached)")
    @ApiResponse(responseCode = "504", description = "R replicas did not answer in time")
    ResponseEntity<String> quorumRead(@PathVariable String key, @RequestParam(required = false) Integer r) {
        return first(NodeRole.REPLICA, "GET", "/quorum/kv/" + segment(key) + (r == null ? "" : "?r=" + r), null,
                QUORUM_TIMEOUT);
    }

    @PostMapping("/console/api/orders")
    @Operation(summary = "Place an order through the order service (the body of POST /orders)",
            description = "Sent on without an Idempotency-Key: every request is a new order")
    @ApiResponse(responseCode = "201", description = "The order service's 201: the outcome, CONFIRMED or REJECTED",
            content = @Content(schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "202", description = "The order service's 202: the outcome is not known yet (PENDING); "
            + "poll GET /orders/{orderId} on the order node", content = @Content(schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "400", description = "Invalid order (the order service names each field and rule)")
    @ApiResponse(responseCode = "404", description = "No order node in this cluster (dtx.cluster.members)")
    @ApiResponse(responseCode = "502", description = "The coordinator refused the transaction (the order service's "
            + "502), or no order node answered (within 40 s)")
    @ApiResponse(responseCode = "503", description = "No coordinator leads now: the order was not placed")
    ResponseEntity<String> order(@RequestBody Map<String, Object> order) {
        return first(NodeRole.ORDER, "POST", "/orders", json.writeValueAsString(order), ORDER_TIMEOUT);
    }

    /** The answer of the first node of {@code role} that answers at all (any HTTP status counts as an answer). */
    private ResponseEntity<String> first(NodeRole role, String method, String path, String body, Duration timeout) {
        List<String> nodes = observer.nodes().keySet().stream()
                .filter(id -> NodeRole.ofNodeId(id).filter(r -> r == role).isPresent()).sorted().toList();
        if (nodes.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "this cluster has no " + role.name().toLowerCase()
                    + " node (dtx.cluster.members)");
        }
        StringBuilder errors = new StringBuilder();
        for (String node : nodes) {
            ClusterObserver.Answer answer = observer.send(node, method, path, body, Map.of(), timeout);
            if (answer.error() == null) {
                return relay(answer);
            }
            errors.append(errors.isEmpty() ? "" : "; ").append(node).append(": ").append(answer.error());
        }
        throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, "no " + role.name().toLowerCase()
                + " node answered: " + errors);
    }

    static ResponseEntity<String> relay(ClusterObserver.Answer answer) {
        MediaType type = answer.status() >= 400 ? MediaType.APPLICATION_PROBLEM_JSON : MediaType.APPLICATION_JSON;
        return ResponseEntity.status(answer.status()).contentType(type).body(answer.body());
    }

    private static String segment(String value) {
        return UriUtils.encodePathSegment(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String param(String value) {
        return UriUtils.encodeQueryParam(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
