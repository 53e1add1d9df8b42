package io.dtxlab.coordinator.cluster;

import io.dtxlab.coordinator.leadership.Leadership;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.messaging.PeerProbe;
import io.dtxlab.platform.node.NodeIdentity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Coordinator cluster", description = "The coordinator nodes and their health")
class CoordinatorClusterController {

    private final NodeIdentity node;
    private final ClusterClient client;
    private final PeerProbe probe;
    private final Leadership leadership;

    CoordinatorClusterController(NodeIdentity node, ClusterClient client, PeerProbe probe, Leadership leadership) {
        this.node = node;
        this.client = client;
        this.probe = probe;
        this.leadership = leadership;
    }

    /**
     * The coordinator cluster from this node's point of view.
     *
     * @param node this node
     * @param incarnation which start of this node answers
     * @param members the coordinator nodes
     * @param leader the coordinator that runs transactions (configured in [B]; elected by Paxos in [D])
     * @param epoch the leader's epoch, carried by every message it sends to participants (known on the leader)
     * @param peers the other coordinators and whether they answered a ping just now
     */
    record ClusterView(String node, long incarnation, List<String> members, String leader, Long epoch,
            List<PeerProbe.PeerView> peers) {
    }

    @GetMapping("/cluster")
    @Operation(summary = "Show the coordinator cluster: its members and which of them this node can reach")
    ClusterView cluster() {
        List<String> coordinators = client.members().asMap().keySet().stream()
                .filter(id -> NodeRole.ofNodeId(id).filter(role -> role == NodeRole.COORDINATOR).isPresent())
                .toList();
        return new ClusterView(node.id(), node.incarnation(), coordinators, leadership.leader(),
                leadership.isLeader() ? leadership.epoch() : null, probe.probeOthers(NodeRole.COORDINATOR));
    }
}
