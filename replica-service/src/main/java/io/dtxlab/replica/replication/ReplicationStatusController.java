package io.dtxlab.replica.replication;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.messaging.PeerProbe;
import io.dtxlab.platform.node.NodeIdentity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Replication", description = "This replica's view of replication")
class ReplicationStatusController {

    private final NodeIdentity node;
    private final PeerProbe probe;

    ReplicationStatusController(NodeIdentity node, PeerProbe probe) {
        this.node = node;
        this.probe = probe;
    }

    /**
     * @param node this replica
     * @param incarnation which start of this replica answers
     * @param peers the other replicas and whether they answered a ping just now
     */
    record ReplicationStatus(String node, long incarnation, List<PeerProbe.PeerView> peers) {
    }

    @GetMapping("/replication/status")
    @Operation(summary = "Show this replica and which other replicas it can reach")
    ReplicationStatus status() {
        return new ReplicationStatus(node.id(), node.incarnation(), probe.probeOthers(NodeRole.REPLICA));
    }
}
