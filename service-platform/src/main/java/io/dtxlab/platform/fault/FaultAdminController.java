package io.dtxlab.platform.fault;

import io.swagger.v3.oas.annotations.Operation;
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

    FaultAdminController(FaultInjector faults, PartitionTable partitions) {
        this.faults = faults;
        this.partitions = partitions;
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
                    + "Optionally only for one transaction id or key (scope), one peer node, and only N times.")
    FaultRule arm(@Valid @RequestBody FaultRequest request) {
        Duration delay = request.delayMs() == null ? null : Duration.ofMillis(request.delayMs());
        return faults.arm(request.point(), request.action(), delay, blankToNull(request.scope()),
                blankToNull(request.peer()), request.times());
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
            description = "Replaces the current set. The other side need not be told: this node refuses what they send.")
    PartitionView cutOff(@Valid @RequestBody PartitionRequest request) {
        partitions.cutOffFrom(request.nodes());
        return new PartitionView(partitions.cutOff());
    }

    @DeleteMapping("/partition")
    @Operation(summary = "Heal the partition: talk to every node again")
    PartitionView heal() {
        partitions.heal();
        return new PartitionView(partitions.cutOff());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
