package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.Op;
import io.dtxlab.platform.problem.ValidationProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The replicated key-value store: write on any replica (slaves forward to the master), read on any replica. */
@RestController
@Validated
@Tag(name = "Key-value store", description = "Master-slave replicated: SYNC, SEMI_SYNC or ASYNC; any replica serves reads")
class KvController {

    private static final String NOT_MASTER = "The write reached a replica that is not the master (type "
            + "urn:dtx:problem:not-master; 'master' names the master): a failover happened meanwhile; retry";
    private static final String REFUSED = "Writes refused (type urn:dtx:problem:writes-refused): the master is not "
            + "heard, SYNC cannot reach the slaves it needs, the master does not hear a majority (failover ELECT), or "
            + "the forward to the master failed; reads are still served";

    /** A key: 1 to 256 characters (so bytes) of A-Z a-z 0-9 . _ : - ; no '/', no space. */
    private static final String KEY = "[A-Za-z0-9._:-]{1,256}";
    private static final String KEY_RULE = "must be 1 to 256 characters of A-Z a-z 0-9 . _ : - (at most 256 bytes; no '/')";

    private final WriteRouter router;
    private final ReplicaState state;
    private final ReplicationStore store;
    private final ReplicationProperties properties;

    KvController(WriteRouter router, ReplicaState state, ReplicationStore store, ReplicationProperties properties) {
        this.router = router;
        this.state = state;
        this.store = store;
        this.properties = properties;
    }

    /** @param value the new value */
    record PutRequest(@NotNull @Size(max = 4096) String value) {
    }

    /**
     * A value as this replica has it, and how fresh this replica is.
     *
     * @param index the log index that wrote the value
     * @param appliedIndex how far this replica has applied the log
     * @param lagEntries how many entries it is behind the master, as of its last heartbeat; null when this replica
     *        cannot know (its master not heard for the master timeout), never a made-up 0
     * @param lagMs how old the oldest write it misses is, in ms; null when it cannot know
     * @param possiblyStale whether writes this replica has not applied may exist (lag above 0, or unknown)
     * @param lastHeardFromMasterAt on a slave: when it last heard from its master (ISO-8601); the lag is as of then
     * @param masterSilentForMs on a slave: how long ago that was, in ms
     * @param staleReason why the value may be stale; absent when it is not
     */
    record ReadResult(String key, String value, long index, String node, String role, long appliedIndex, long epoch,
            String master, Long lagEntries, Long lagMs, boolean possiblyStale, Instant lastHeardFromMasterAt,
            Long masterSilentForMs, String staleReason) {
    }

    /** Every key of this replica, for comparing replicas. */
    record Snapshot(String node, String role, long appliedIndex, long epoch, Map<String, String> entries) {
    }

    @PutMapping("/kv/{key}")
    @Operation(summary = "Write a key (on a slave: forwarded to the master)",
            description = "Answers with a durability receipt: index, epoch, mode used, who acknowledged, whether degraded.")
    @ApiResponse(responseCode = "200", description = "Written: the receipt (pass its index as minIndex to read your write)")
    @ApiResponse(responseCode = "409", description = NOT_MASTER)
    @ApiResponse(responseCode = "503", description = REFUSED)
    Receipt put(@PathVariable @Pattern(regexp = KEY, message = KEY_RULE) String key, @Valid @RequestBody PutRequest request) {
        return router.write(Op.PUT, key, request.value());
    }

    @DeleteMapping("/kv/{key}")
    @Operation(summary = "Delete a key (on a slave: forwarded to the master)")
    @ApiResponse(responseCode = "200", description = "Deleted: the receipt")
    @ApiResponse(responseCode = "404", description = "No such key on the master")
    @ApiResponse(responseCode = "409", description = NOT_MASTER)
    @ApiResponse(responseCode = "503", description = REFUSED)
    Receipt delete(@PathVariable @Pattern(regexp = KEY, message = KEY_RULE) String key) {
        return router.write(Op.DELETE, key, null);
    }

    @GetMapping("/kv/{key}")
    @Operation(summary = "Read a key from this replica, with how fresh this replica is",
            description = "Read-your-writes: pass minIndex (the index of your write's receipt); the replica waits up to "
                    + "waitMs (default dtx.replication.read-wait) to apply it, or answers 503 'replica behind'.")
    @ApiResponse(responseCode = "200", description = "The value, its index, and how fresh this replica is")
    @ApiResponse(responseCode = "400", description = "Invalid key, minIndex or waitMs; or, on the master, a minIndex "
            + "past the end of its log (no write was given that index)")
    @ApiResponse(responseCode = "404", description = "No such key on this replica (type urn:dtx:problem:no-such-key)")
    @ApiResponse(responseCode = "503", description = "Replica behind (type urn:dtx:problem:replica-behind): it did not "
            + "apply minIndex within waitMs; read from the master or retry")
    ReadResult get(@PathVariable @Pattern(regexp = KEY, message = KEY_RULE) String key,
            @Parameter(description = "the log index this read must reflect") @RequestParam(required = false) @PositiveOrZero Long minIndex,
            @Parameter(description = "how long to wait for minIndex, in ms") @RequestParam(required = false) @PositiveOrZero @Max(30_000) Long waitMs)
            throws InterruptedException {
        if (minIndex != null && state.isMaster() && minIndex > state.appliedIndex()) {
            // the master's log is the whole log: an index past its end was never given to any write
            throw ValidationProblem.invalid("minIndex", "Issued", "is " + minIndex + ", but the log of the master "
                    + state.self() + " ends at " + state.appliedIndex() + ": pass the index of a write's receipt",
                    minIndex);
        }
        if (minIndex != null && !state.awaitApplied(minIndex, waitMs != null ? waitMs : properties.readWait().toMillis())) {
            throw ReplicationProblems.of(HttpStatus.SERVICE_UNAVAILABLE, ReplicationProblems.REPLICA_BEHIND, "Replica behind",
                    state.self() + " has applied up to " + state.appliedIndex() + ", not yet " + minIndex
                            + "; read from the master " + state.master() + " or retry",
                    Map.of("appliedIndex", state.appliedIndex(), "minIndex", minIndex, "master", state.master()));
        }
        ReplicationStore.Versioned value = state.committed(key, store::get).orElseThrow(() -> ReplicationProblems.of(HttpStatus.NOT_FOUND,
                ReplicationProblems.NO_SUCH_KEY, "No such key", "no key '" + key + "' on " + state.self() + " at index "
                        + state.appliedIndex(), Map.of("appliedIndex", state.appliedIndex(), "node", state.self())));
        ReplicaState.Freshness fresh = state.freshness();
        return new ReadResult(key, value.value(), value.index(), state.self(), state.role().name(), state.appliedIndex(),
                state.epoch(), state.master(), fresh.lagEntries(), fresh.lagMs(), fresh.possiblyStale(),
                fresh.lastHeardFromMasterAt(), fresh.masterSilentForMs(), fresh.staleReason());
    }

    @GetMapping("/kv")
    @Operation(summary = "List every key of this replica (up to limit), with its applied index")
    Snapshot all(@RequestParam(defaultValue = "1000") @Max(100_000) @PositiveOrZero int limit) {
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        store.all(limit).forEach(v -> entries.put(v.key(), v.value()));
        return new Snapshot(state.self(), state.role().name(), state.appliedIndex(), state.epoch(), entries);
    }
}
