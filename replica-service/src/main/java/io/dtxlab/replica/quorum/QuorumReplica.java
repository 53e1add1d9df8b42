package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.Siblings;
import io.dtxlab.core.quorum.Version;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.node.NodeIdentity;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** This node as a replica of keys: stores what coordinators send it, answers reads, keeps hints as a stand-in. */
@Component
class QuorumReplica {

    private static final Logger log = LoggerFactory.getLogger(QuorumReplica.class);

    private final String self;
    private final VersionStore versions;
    private final HintStore hints;
    private final FaultInjector faults;

    QuorumReplica(NodeIdentity node, VersionStore versions, HintStore hints, FaultInjector faults) {
        this.self = node.id();
        this.versions = versions;
        this.hints = hints;
        this.faults = faults;
    }

    ReplicaMessages.Ack put(ReplicaMessages.Put put, String from) {
        List<Version> incoming = VersionBody.toVersions(put.versions());
        faults.at(QuorumConfiguration.REPLICA_APPLY, put.key(), from);
        if (put.hintFor() != null && !put.hintFor().equals(self)) {
            int added = hints.add(put.hintFor(), put.key(), incoming);
            log.info("quorum: stored {} hint(s) of key {} for {}, which is down", added, put.key(), put.hintFor());
            return new ReplicaMessages.Ack(self, added > 0, 0, put.hintFor());
        }
        Siblings.Applied applied = versions.apply(put.key(), incoming);
        log.debug("quorum: key {} from {}: {} (now {} sibling(s))", put.key(), from,
                applied.changed() ? "stored" : "already had it or newer", applied.versions().size());
        return new ReplicaMessages.Ack(self, applied.changed(), applied.versions().size(), null);
    }

    /** The key's versions here; as a stand-in ({@code hintsFor} set), the versions held as hints for that owner. */
    ReplicaMessages.Versions read(String key, String hintsFor) {
        if (hintsFor != null && !hintsFor.equals(self)) {
            return new ReplicaMessages.Versions(self, VersionBody.of(Siblings.reconcile(hints.forKey(key).stream()
                    .filter(h -> h.owner().equals(hintsFor)).map(HintStore.Hint::version).toList())));
        }
        return new ReplicaMessages.Versions(self, VersionBody.of(versions.read(key)));
    }
}
