package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.ReplicationMode;
import io.dtxlab.core.replication.ReplicationSettings;
import io.dtxlab.core.replication.SyncFailurePolicy;
import io.dtxlab.platform.problem.ValidationProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Switch the replication mode at runtime (admin token), on the master; the slaves learn it from its heartbeats. */
@RestController
@Tag(name = "Replication (admin)", description = "Switch the mode, the SYNC failure policy and semi-sync's k and timeout")
class ReplicationAdminController {

    private static final Logger log = LoggerFactory.getLogger(ReplicationAdminController.class);

    private final ReplicaState state;
    private final CatchUp catchUp;
    private final ReplicationTicker ticker;

    ReplicationAdminController(ReplicaState state, CatchUp catchUp, ReplicationTicker ticker) {
        this.state = state;
        this.catchUp = catchUp;
        this.ticker = ticker;
    }

    /** What to change; what is left out stays. */
    record SettingsRequest(ReplicationMode mode, SyncFailurePolicy syncFailure, @Min(1) @Max(8) Integer semiSyncAcks,
            @Min(1) @Max(600_000) Long semiSyncTimeoutMs) {
    }

    @GetMapping("/admin/replication/settings")
    @Operation(summary = "Show the replication settings this replica applies (a slave: the ones its master sent)")
    ReplicationSettings settings() {
        return state.settings();
    }

    @PutMapping("/admin/replication/settings")
    @Operation(summary = "Switch the mode (SYNC, SEMI_SYNC, ASYNC), the SYNC failure policy, semi-sync k and timeout",
            description = "Only on the master (409 names it otherwise). Takes effect from the next write. "
                    + "semiSyncAcks above the number of slaves is a 400 naming it.")
    @ApiResponse(responseCode = "200", description = "The settings now in force")
    @ApiResponse(responseCode = "400", description = "Invalid settings (each field and rule named), or semiSyncAcks "
            + "above the number of slaves")
    @ApiResponse(responseCode = "409", description = "This replica is a slave (type urn:dtx:problem:not-master): "
            + "'master' names where to send it")
    ReplicationSettings change(@Valid @RequestBody SettingsRequest request) {
        state.writeLock.lock();
        try {
            if (!state.isMaster()) {
                throw ReplicationProblems.of(HttpStatus.CONFLICT, ReplicationProblems.NOT_MASTER, "Not the master",
                        state.self() + " is a slave; change the settings on the master " + state.master(),
                        Map.of("master", state.master()));
            }
            ReplicationSettings old = state.settings();
            int semiSyncAcks = request.semiSyncAcks() != null ? request.semiSyncAcks() : old.semiSyncAcks();
            List<String> slaves = state.otherReplicas();
            boolean semiSync = (request.mode() != null ? request.mode() : old.mode()) == ReplicationMode.SEMI_SYNC;
            if (semiSyncAcks > slaves.size() && (semiSync || request.semiSyncAcks() != null)) {
                throw ValidationProblem.invalid("semiSyncAcks", "Max", "is " + semiSyncAcks + ", but this cluster has "
                        + slaves.size() + " slave(s) " + slaves + ": a SEMI_SYNC write cannot get more slave acks "
                        + "than there are slaves, so every write would degrade", semiSyncAcks);
            }
            ReplicationSettings changed = new ReplicationSettings(
                    request.mode() != null ? request.mode() : old.mode(),
                    request.syncFailure() != null ? request.syncFailure() : old.syncFailure(),
                    request.semiSyncAcks() != null ? request.semiSyncAcks() : old.semiSyncAcks(),
                    request.semiSyncTimeoutMs() != null ? request.semiSyncTimeoutMs() : old.semiSyncTimeoutMs());
            state.settings(changed);
            log.warn("replication settings changed: {} -> {}", old, changed);
            if (changed.mode() != ReplicationMode.ASYNC) {
                List<String> behind = state.slaves(set -> set.requireCaughtUp(state.appliedIndex()));
                if (behind != null && !behind.isEmpty()) {
                    log.warn("slaves behind, out of sync until caught up: {}", behind);
                    behind.forEach(slave -> catchUp.start(slave, ticker)); // now, not at the next heartbeat
                }
            }
            return changed;
        } finally {
            state.writeLock.unlock();
        }
    }
}
