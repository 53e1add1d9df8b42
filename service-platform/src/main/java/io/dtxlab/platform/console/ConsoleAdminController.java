package io.dtxlab.platform.console;

import io.dtxlab.platform.security.TokenHeaders;
import io.swagger.v3.oas.annotations.Operation;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
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

    private final ClusterObserver observer;

    ConsoleAdminController(ClusterObserver observer) {
        this.observer = observer;
    }

    @RequestMapping(path = "/admin/console/nodes/{node}/{*path}",
            method = {RequestMethod.GET, RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE})
    @Operation(summary = "Send a fault, partition or crash request on to another node (the console's buttons)",
            description = "Sent on to /admin/<path> on that node with the same method, body and X-Admin-Token. Paths: "
                    + "faults, faults/points, faults/{id}, partition, crash.")
    ResponseEntity<String> relay(@PathVariable String node, @PathVariable String path, HttpServletRequest request,
            @RequestHeader(TokenHeaders.ADMIN_TOKEN) String token, @RequestBody(required = false) String body) {
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
