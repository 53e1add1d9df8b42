package io.dtxlab.platform.console;

import io.dtxlab.platform.security.TokenHeaders;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The console's buttons: fault injection, partitions and crash on any node, through the node that serves the page.
 * {@code /admin/console/nodes/{node}/<path>} is sent on as {@code /admin/<path>} to that node, with the same method,
 * body and {@code X-Admin-Token}. Being under {@code /admin/**}, it needs the admin token here first (401/403 as every
 * admin endpoint), and the target checks it again. Only the fault and node-control paths pass
 * ({@code faults}, {@code faults/points}, {@code faults/{id}}, {@code partition}, {@code crash}); anything else is a
 * 404. A crash never answers: {@code crash} is answered 202 once the request left, whatever became of it.
 */
@RestController
@Tag(name = "Console", description = "The web console at /console/ and the reads behind it")
class ConsoleAdminController {

    private static final List<String> PASSED = List.of("faults", "partition", "crash");
    private static final Duration CRASH_WAIT = Duration.ofSeconds(2);
    private static final String RELAY = "/admin/console/nodes/{node}/{*path}";
    private static final String RELAYED = "Sent on to /admin/<path> on that node with the same method, query, X-Admin-Token "
            + "and (POST, PUT) body; the node's own status and body come back.";
    private static final String NOT_PASSED = "A path the console does not pass on, or no such node in this cluster";
    private static final String NO_ANSWER = "The node did not answer (connection refused, timed out): the problem "
            + "names it and why";

    private final ClusterObserver observer;

    ConsoleAdminController(ClusterObserver observer) {
        this.observer = observer;
    }

    @GetMapping(RELAY)
    @Operation(summary = "Read the faults, fault points or partition of another node (the console's fault panel)",
            description = RELAYED + " Paths: faults, faults/points, partition.")
    @ApiResponse(responseCode = "200", description = "The node's answer: its armed faults or its fault points "
            + "(arrays), or whom it is cut off from", content = @Content(schema = @Schema(types = {"array", "object"})))
    @ApiResponse(responseCode = "404", description = NOT_PASSED)
    @ApiResponse(responseCode = "502", description = NO_ANSWER)
    ResponseEntity<String> read(@PathVariable String node, @PathVariable String path, HttpServletRequest request,
            @Parameter(hidden = true) @RequestHeader(TokenHeaders.ADMIN_TOKEN) String token) {
        return relay(node, path, request, token, null);
    }

    @PostMapping(RELAY)
    @Operation(summary = "Arm a fault on another node, or crash it (the console's buttons)",
            description = RELAYED + " Paths: faults (the body of POST /admin/faults), crash.")
    @ApiResponse(responseCode = "201", description = "faults: the node armed the fault; the fault, with its id",
            content = @Content(schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "202", description = "crash: the request left for the node, which halts without an "
            + "answer (also when it did not answer within 2 s, or could not be reached)", content = @Content(schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "400", description = "The node refused the fault (each field and rule named)")
    @ApiResponse(responseCode = "404", description = NOT_PASSED)
    @ApiResponse(responseCode = "502", description = NO_ANSWER)
    ResponseEntity<String> act(@PathVariable String node, @PathVariable String path, HttpServletRequest request,
            @Parameter(hidden = true) @RequestHeader(TokenHeaders.ADMIN_TOKEN) String token,
            @RequestBody(required = false) String body) {
        return relay(node, path, request, token, body);
    }

    @PutMapping(RELAY)
    @Operation(summary = "Cut another node off from the named nodes (the console's partition button)",
            description = RELAYED + " Path: partition (the body of PUT /admin/partition).")
    @ApiResponse(responseCode = "200", description = "The node's answer: whom it is cut off from now",
            content = @Content(schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "400", description = "The node refused the partition (a node not in the cluster, or "
            + "itself)")
    @ApiResponse(responseCode = "404", description = NOT_PASSED)
    @ApiResponse(responseCode = "502", description = NO_ANSWER)
    ResponseEntity<String> replace(@PathVariable String node, @PathVariable String path, HttpServletRequest request,
            @Parameter(hidden = true) @RequestHeader(TokenHeaders.ADMIN_TOKEN) String token,
            @RequestBody(required = false) String body) {
        return relay(node, path, request, token, body);
    }

    @DeleteMapping(RELAY)
    @Operation(summary = "Clear another node's faults, or heal its partition (the console's buttons)",
            description = RELAYED + " Paths: faults, faults/{id}, partition.")
    @ApiResponse(responseCode = "200", description = "partition: healed; whom the node is cut off from now (nobody)",
            content = @Content(schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "204", description = "faults, faults/{id}: cleared")
    @ApiResponse(responseCode = "404", description = NOT_PASSED + ", or no armed fault with this id")
    @ApiResponse(responseCode = "502", description = NO_ANSWER)
    ResponseEntity<String> clear(@PathVariable String node, @PathVariable String path, HttpServletRequest request,
            @Parameter(hidden = true) @RequestHeader(TokenHeaders.ADMIN_TOKEN) String token) {
        return relay(node, path, request, token, null);
    }

    private ResponseEntity<String> relay(String node, String path, HttpServletRequest request, String token,
            String body) {
        String first = path.replaceFirst("^/", "").split("/", 2)[0];
        if (!PASSED.contains(first) || path.contains("..")) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "the console passes only " + PASSED
                    + " to /admin/ of a node, not '" + path + "'");
        }
        if (!observer.knows(node)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no node '" + node + "' in this cluster; nodes are "
                    + observer.nodes().keySet());
        }
        boolean crash = first.equals("crash");
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        ClusterObserver.Answer answer = observer.send(node, request.getMethod(), "/admin" + path + query,
                body == null || body.isBlank() ? null : body, Map.of(TokenHeaders.ADMIN_TOKEN, token),
                crash ? CRASH_WAIT : null);
        if (crash && (answer.error() != null || answer.status() / 100 == 2)) {
            return ResponseEntity.accepted().body("{\"crash\":\"" + node + "\"}");
        }
        if (answer.error() != null) {
            throw new ResponseStatusException(HttpStatus.BAD_GATEWAY, node + " did not answer: " + answer.error());
        }
        return ConsoleController.relay(answer);
    }
}
