package io.dtxlab.replica.quorum;

import io.dtxlab.platform.messaging.ClusterHeaders;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What a coordinator asks a replica of a key. */
@RestController
@RequestMapping("/internal/quorum")
@Tag(name = "Quorum (internal)", description = "Replica-to-replica messages of quorum replication")
class QuorumReplicaController {

    private final QuorumReplica replica;

    QuorumReplicaController(QuorumReplica replica) {
        this.replica = replica;
    }

    @PostMapping("/put")
    @Operation(summary = "Store versions of a key (a quorum write, read repair or hint handoff), or keep them as a hint")
    ReplicaMessages.Ack put(@Valid @RequestBody ReplicaMessages.Put put,
            @RequestHeader(name = ClusterHeaders.FROM, required = false) String from) {
        return replica.put(put, from);
    }

    @PostMapping("/read")
    @Operation(summary = "Answer this replica's versions of a key, or as a stand-in the hints it holds for an owner")
    ReplicaMessages.Versions read(@Valid @RequestBody ReplicaMessages.Read read) {
        return replica.read(read.key(), read.hintsFor());
    }
}
