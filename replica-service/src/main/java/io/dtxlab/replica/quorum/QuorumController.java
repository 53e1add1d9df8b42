package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.HashRing;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/quorum")
@Tag(name = "Quorum", description = "Dynamo-style leaderless replication: N/R/W quorums, vector clocks and "
        + "siblings, read repair, sloppy quorum with hinted handoff")
class QuorumController {

    /** A key: 1 to 200 characters (so bytes) of A-Z a-z 0-9 . _ : - ; no '/', no space. */
    static final String KEY = "[A-Za-z0-9._:-]{1,200}";
    static final String KEY_RULE = "must be 1 to 200 characters of A-Z a-z 0-9 . _ : - (at most 200 bytes; no '/')";
    private static final String PROBLEM = "application/problem+json";

    private final QuorumWrites writes;
    private final QuorumReads reads;
    private final HashRing ring;
    private final QuorumProperties properties;
    private final QuorumStats stats;
    private final VersionStore versions;
    private final HintStore hints;
    private final ReplicaChannel replicas;

    QuorumController(QuorumWrites writes, QuorumReads reads, HashRing ring, QuorumProperties properties,
            QuorumStats stats, VersionStore versions, HintStore hints, ReplicaChannel replicas) {
        this.writes = writes;
        this.reads = reads;
        this.ring = ring;
        this.properties = properties;
        this.stats = stats;
        this.versions = versions;
        this.hints = hints;
        this.replicas = replicas;
    }

    @PutMapping("/kv/{key}")
    @Operation(summary = "Write a value through this node: answered once W replicas have it on disk",
            description = "Send the `context` of an earlier read (or of your last write's answer) to supersede the "
                    + "versions whose dot it holds; without it the write drops nothing and joins them as a sibling. "
                    + "A context naming an unknown node, a counter outside 0..2^62, or a counter of this node above "
                    + "what it gave the key is a 400 naming `context.<node>`; nothing is written.")
    @ApiResponse(responseCode = "200", description = "W replicas acknowledged; stand-ins and staleness are named")
    @ApiResponse(responseCode = "400", description = "Bad W, key or context (the field is named)",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "503", description = "Fewer than W replicas answered (type "
            + "urn:dtx:problem:quorum-not-reached: 'answered' and 'failed' name them; those that answered keep the "
            + "write), or the ring has fewer than N replicas",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "504", description = "W replicas did not answer in time",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    WriteAnswer write(@PathVariable @Pattern(regexp = KEY, message = KEY_RULE) String key,
            @Parameter(description = "acknowledgements to wait for, 1..N (default dtx.quorum.w)") @RequestParam(required = false) Integer w,
            @Valid @RequestBody WriteRequest request) {
        return writes.write(key, request.value(), request.context(), w);
    }

    @GetMapping("/kv/{key}")
    @Operation(summary = "Read a key through this node: answered once R replicas answered",
            description = "One version: 200. Concurrent versions: 300 Multiple Choices with every sibling and the "
                    + "merged `context`; write with that context to resolve them.")
    @ApiResponse(responseCode = "200", description = "The one version and its context")
    @ApiResponse(responseCode = "300", description = "Siblings: concurrent versions for the client to resolve",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ReadAnswer.class)))
    @ApiResponse(responseCode = "404", description = "No replica that answered holds the key",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "503", description = "Fewer than R replicas answered (type "
            + "urn:dtx:problem:quorum-not-reached: 'answered' and 'failed' name them), or the ring has fewer than N "
            + "replicas",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    @ApiResponse(responseCode = "504", description = "R replicas did not answer in time",
            content = @Content(mediaType = PROBLEM, schema = @Schema(ref = "#/components/schemas/Problem")))
    ResponseEntity<ReadAnswer> read(@PathVariable @Pattern(regexp = KEY, message = KEY_RULE) String key,
            @Parameter(description = "answers to wait for, 1..N (default dtx.quorum.r)") @RequestParam(required = false) Integer r) {
        ReadAnswer answer = reads.read(key, r);
        return ResponseEntity.status(answer.conflict() ? 300 : 200).body(answer);
    }

    @GetMapping("/ring")
    @Operation(summary = "Show the consistent-hashing ring, and a key's preference list and stand-ins")
    RingView ring(@Parameter(description = "a key to place on the ring") @RequestParam(required = false)
            @Pattern(regexp = KEY, message = KEY_RULE) String key) {
        return RingView.of(ring, properties.n(), key);
    }

    @GetMapping("/stats")
    @Operation(summary = "Show latency percentiles per R and W, messages per request, siblings, read repairs and hints")
    QuorumStats.View stats() {
        return stats.view();
    }

    @GetMapping("/local/{key}")
    @Operation(summary = "Show what this replica alone holds of a key, and the hints it keeps for it")
    LocalView local(@PathVariable @Pattern(regexp = KEY, message = KEY_RULE) String key) {
        return new LocalView(replicas.self(), key, VersionBody.of(versions.read(key)), hints.forKey(key).stream()
                .map(h -> new LocalView.HintView(h.owner(), h.version().value(), h.version().clock().counters(),
                        h.version().dot(), h.version().past().counters()))
                .toList());
    }
}
