package io.dtxlab.coordinator.cluster;

import io.dtxlab.coordinator.consensus.PaxosDriver;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.core.paxos.PaxosStatus;
import io.dtxlab.platform.messaging.PeerProbe;
import io.dtxlab.platform.node.NodeIdentity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Coordinator cluster", description = "The coordinator nodes, who leads, and the replicated log")
class CoordinatorClusterController {

    private final NodeIdentity node;
    private final PeerProbe probe;
    private final PaxosDriver paxos;

    CoordinatorClusterController(NodeIdentity node, PeerProbe probe, PaxosDriver paxos) {
        this.node = node;
        this.probe = probe;
        this.paxos = paxos;
    }

    /**
     * The coordinator cluster from this node's point of view.
     *
     * @param node this node
     * @param incarnation which start of this node answers
     * @param role LEADER, CANDIDATE or FOLLOWER
     * @param members the coordinators of the Paxos group
     * @param leader the coordinator this node believes leads (null while none is known)
     * @param ballot that leader's ballot, e.g. {@code 3.coordinator-2}
     * @param epoch the ballot as one number: every message the leader sends to participants carries it
     * @param leaseValid whether this node leads with a valid lease now
     * @param leaseExpiresAt when this node's lease ends (only on the leader)
     * @param caughtUp whether this node leads and has applied every slot earlier leaders may have used
     * @param promised the highest ballot this node's acceptor promised
     * @param firstUnchosen the log position: every slot below it is chosen and applied
     * @param lastChosen the highest slot known to be chosen
     * @param peers the other coordinators and whether they answered a ping just now (empty with {@code peers=false})
     */
    record ClusterView(String node, long incarnation, String role, List<String> members, String leader, String ballot,
            long epoch, boolean leaseValid, Instant leaseExpiresAt, boolean caughtUp, String promised,
            long firstUnchosen, long lastChosen, List<PeerProbe.PeerView> peers) {
    }

    @GetMapping("/cluster")
    @Operation(summary = "Show the coordinator cluster: members, leader, ballot, lease, log position, peers' health",
            description = "peers=false leaves out the pings of the other coordinators (the console reads this every "
                    + "second and has their health already)")
    ClusterView cluster(@RequestParam(defaultValue = "true") boolean peers) {
        PaxosStatus s = paxos.status();
        long nowMono = System.nanoTime() / 1_000_000;
        Instant leaseEnd = s.leaseValid() ? Instant.now().plusMillis(Math.max(0, s.leaseExpiry() - nowMono)) : null;
        return new ClusterView(node.id(), node.incarnation(), s.role().name(), paxos.config().members(), s.leader(),
                s.ballot().toString(), s.epoch(), s.leaseValid(), leaseEnd, s.caughtUp(), s.promised().toString(),
                s.firstUnchosen(), s.lastChosen(), peers ? probe.probeOthers(NodeRole.COORDINATOR) : List.of());
    }
}
