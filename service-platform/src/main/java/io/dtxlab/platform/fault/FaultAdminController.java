package io.dtxlab.platform.fault;

import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.problem.ValidationProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The admin API of fault injection: arm, list and clear faults; cut this node off from others. */
@RestController
@RequestMapping("/admin")
@Tag(name = "Fault injection", description = "Break this node on purpose (admin token)")
class FaultAdminController {

    private final FaultInjector faults;
    private final PartitionTable partitions;
    private final ClusterClient cluster;

    FaultAdminController(FaultInjector faults, PartitionTable partitions, ClusterClient cluster) {
        this.faults = faults;
        this.partitions = partitions;
        this.cluster = cluster;
    }

    /** A fault to arm. */
    record FaultRequest(
            @NotBlank String point,
            @NotNull FaultAction action,
            @PositiveOrZero @Max(600_000) Long delayMs,
            String scope,
            String peer,
            @Positive Integer times) {
    }

    /** The nodes to refuse traffic to and from. */
    record PartitionRequest(@NotNull Set<@NotBlank String> nodes) {
    }

    record PartitionView(Set<String> cutOffFrom) {
    }

    @PostMapping("/faults")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Arm a fault at a fault point",
            description = "DELAY waits delayMs, ERROR fails the step, DROP loses the message, CRASH stops the node. "
                    + "Optionally only for one transaction id or key (scope), one peer node, and only N times. "
                    + "400 when the point is unknown or the peer is not a node of the cluster (dtx.cluster.members).")
    @ApiResponse(responseCode = "201", description = "The armed fault, with its id")
    @ApiResponse(responseCode = "400", description = "Invalid fault (each field and rule named), an unknown point, or "
            + "a peer that is not a node of the cluster")
    FaultRule arm(@Valid @RequestBody FaultRequest request) {
        String peer = blankToNull(request.peer());
        if (peer != null && !peer.equals(cluster.self()) && !cluster.members().contains(peer)) {
            throw ValidationProblem.invalid("peer", "KnownNode", "'" + peer + "' is not a node of this cluster, so "
                    + "no message goes to or comes from it; known nodes: " + knownNodes(), peer);
        }
        Duration delay = request.delayMs() == null ? null : Duration.ofMillis(request.delayMs());
        return faults.arm(request.point(), request.action(), delay, blankToNull(request.scope()),
                peer, request.times());
    }

    @GetMapping("/faults")
    @Operation(summary = "List the armed faults, with how often each fired and how many times remain")
    List<FaultInjector.ArmedFault> list() {
        return faults.armed();
    }

    @GetMapping("/faults/points")
    @Operation(summary = "List the fault points this node declares",
            description = "Besides these, every message passes send:<kind> before it leaves and reply:<kind> when its answer arrives.")
    List<FaultPoint> points() {
        return faults.points();
    }

    @DeleteMapping("/faults")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Clear every armed fault")
    void clearAll() {
        faults.clearAll();
    }

    @DeleteMapping("/faults/{id}")
    @Operation(summary = "Clear one armed fault")
    @ApiResponse(responseCode = "204", description = "Cleared")
    @ApiResponse(responseCode = "404", description = "No armed fault with this id")
    ResponseEntity<Void> clear(@PathVariable String id) {
        if (!faults.clear(id)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no armed fault with id '" + id + "'");
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/partition")
    @Operation(summary = "Show which nodes this node is cut off from")
    PartitionView partition() {
        return new PartitionView(partitions.cutOff());
    }

    @PutMapping("/partition")
    @Operation(summary = "Cut this node off from the named nodes, in both directions",
            description = "Replaces the current set. The other side need not be told: this node refuses what they send. "
                    + "400 when a node named is not in the cluster (dtx.cluster.members) or is this node.")
    PartitionView cutOff(@Valid @RequestBody PartitionRequest request) {
        for (String node : new TreeSet<>(request.nodes())) {
            if (node.equals(cluster.self())) {
                throw ValidationProblem.invalid("nodes", "KnownNode", "names '" + node + "', this node itself, which "
                        + "cannot be cut off from itself; the other nodes: " + others(), node);
            }
            if (!cluster.members().contains(node)) {
                throw ValidationProblem.invalid("nodes", "KnownNode", "names '" + node + "', which is not a node of "
                        + "this cluster; the other nodes: " + others(), node);
            }
        }
        partitions.cutOffFrom(request.nodes());
        return new PartitionView(partitions.cutOff());
    }

    @DeleteMapping("/partition")
    @Operation(summary = "Heal the partition: talk to every node again")
    PartitionView heal() {
        partitions.heal();
        return new PartitionView(partitions.cutOff());
    }

    /** Every node id this node knows from {@code dtx.cluster.members}, itself included, sorted. */
    private Set<String> knownNodes() {
        Set<String> known = new TreeSet<>(cluster.members().asMap().keySet());
        known.add(cluster.self());
        return known;
    }

    private Set<String> others() {
        Set<String> others = knownNodes();
        others.remove(cluster.self());
        return others;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
