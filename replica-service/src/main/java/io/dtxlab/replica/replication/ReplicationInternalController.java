package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.EpochHistory;
import io.dtxlab.core.replication.LogEntry;
import io.dtxlab.platform.messaging.ClusterHeaders;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The messages between replicas (cluster token). Each is fenced by the sender's epoch. */
@RestController
@Validated
@RequestMapping("/internal/replication")
@Tag(name = "Replication (internal)", description = "Messages between replicas: heartbeat, replicate, catch-up, election")
class ReplicationInternalController {

    private static final String STALE = "Fenced (type urn:dtx:problem:stale-epoch): the sender is a deposed master, "
            + "or of an epoch this replica has not heard of; the problem names the master and epoch it follows";

    private final LogApplier applier;
    private final MasterWriter writer;
    private final Election election;
    private final ReplicaState state;
    private final ReplicationStore store;

    ReplicationInternalController(LogApplier applier, MasterWriter writer, Election election, ReplicaState state,
            ReplicationStore store) {
        this.applier = applier;
        this.writer = writer;
        this.election = election;
        this.state = state;
        this.store = store;
    }

    @PostMapping("/heartbeat")
    @Operation(summary = "The master's heartbeat: alive, its epoch history, last index and settings; answers the position")
    @ApiResponse(responseCode = "200", description = "This replica's position: epoch, applied index, vote")
    @ApiResponse(responseCode = "409", description = STALE)
    Messages.Position heartbeat(@Valid @RequestBody Messages.Heartbeat heartbeat) {
        return applier.heartbeat(heartbeat);
    }

    @PostMapping("/entries")
    @Operation(summary = "Apply log entries from the master (kind replicate: one SYNC/SEMI_SYNC write; catch-up: a batch)",
            description = "Answers once the entries are on disk. 409 stale-epoch for a deposed master, 409 log-gap when "
                    + "entries before them are missing.")
    @ApiResponse(responseCode = "200", description = "The entries are on disk: this replica's position")
    @ApiResponse(responseCode = "409", description = STALE + "; or a gap (type urn:dtx:problem:log-gap): entries "
            + "before them are missing")
    Messages.Position entries(@Valid @RequestBody Messages.Entries entries,
            @RequestHeader(name = ClusterHeaders.KIND, required = false) String kind) {
        return applier.receive(entries, "catch-up".equals(kind));
    }

    @PostMapping("/undo")
    @Operation(summary = "Undo an entry the master undid (SYNC with REJECT: another slave failed it)")
    @ApiResponse(responseCode = "200", description = "Undone (or never applied here): this replica's position")
    @ApiResponse(responseCode = "409", description = STALE)
    Messages.Position undo(@Valid @RequestBody Messages.Undo undo) {
        return applier.undo(undo);
    }

    @GetMapping("/entries")
    @Operation(summary = "Read log entries from an index on (a slave fills a gap before a Kafka entry)")
    List<LogEntry> read(@RequestParam @Min(1) long from, @RequestParam(defaultValue = "500") @Min(1) @Max(10_000) int limit) {
        return store.entries(from, limit);
    }

    @GetMapping("/epochs")
    @Operation(summary = "This replica's epoch history: which master owned which part of the log")
    List<EpochHistory.Epoch> epochs() {
        return state.history().epochs();
    }

    @PostMapping("/election/position")
    @Operation(summary = "A candidate asks for this replica's position: epoch, vote, last index, whether it hears its master")
    Messages.Position position(@Valid @RequestBody Messages.Proposal candidate) {
        return state.position(store.votedEpoch());
    }

    @PostMapping("/election/run")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "A lower-ranked replica asks this one, the Bully winner, to run the election")
    void run(@RequestBody(required = false) Map<String, Object> ignored) {
        election.startIfNeeded();
    }

    @PostMapping("/election/propose")
    @Operation(summary = "The winner asks for a newer epoch; the grant is persisted before it is answered")
    Messages.Grant propose(@Valid @RequestBody Messages.Proposal proposal) {
        return election.onProposal(proposal);
    }

    @PostMapping("/lost-writes")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "A deposed master, rejoining, reports the writes it made after the fork")
    void lostWrites(@Valid @RequestBody Messages.LostWritesReport report) {
        applier.receiveLostWrites(report);
    }

    @PostMapping("/writes")
    @Operation(summary = "A write a slave forwarded to this master")
    @ApiResponse(responseCode = "200", description = "Written: the receipt")
    @ApiResponse(responseCode = "404", description = "A delete of a key the master does not hold")
    @ApiResponse(responseCode = "409", description = "This replica is not the master (type urn:dtx:problem:not-master)")
    @ApiResponse(responseCode = "503", description = "Writes refused (type urn:dtx:problem:writes-refused)")
    Receipt write(@Valid @RequestBody Messages.WriteRequest request) {
        return writer.write(request.op(), request.key(), request.value());
    }
}
