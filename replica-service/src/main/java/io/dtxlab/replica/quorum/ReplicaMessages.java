package io.dtxlab.replica.quorum;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;

/** The messages a coordinator sends the replicas of a key, and their answers. */
final class ReplicaMessages {

    private ReplicaMessages() {
    }

    /**
     * Store these versions of a key: a quorum write, a read repair or a hint handoff.
     *
     * @param key the key
     * @param versions the versions to reconcile with what the replica holds
     * @param hintFor set when the receiver is a stand-in: the owner it holds the write for
     */
    record Put(@NotBlank String key, @NotEmpty List<@Valid VersionBody> versions, String hintFor) {
    }

    /**
     * A replica's acknowledgement: the write is on its disk.
     *
     * @param node the replica
     * @param changed whether it changed what the replica holds (false: it had this or a newer version)
     * @param siblings how many siblings of the key it holds now (0 for a hint)
     * @param hintFor the owner, when it was stored as a hint
     */
    record Ack(String node, boolean changed, int siblings, String hintFor) {
    }

    /**
     * @param key the key to read
     * @param hintsFor set when the receiver is a stand-in: answer the hints held for this owner
     */
    record Read(@NotBlank String key, String hintsFor) {
    }

    /**
     * A replica's versions of a key.
     *
     * @param node the replica
     * @param versions its siblings; empty when it holds none
     */
    record Versions(String node, List<VersionBody> versions) {
    }
}
