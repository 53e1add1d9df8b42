package io.dtxlab.platform.messaging;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Which nodes this node can reach right now: the quickest way to see a partition or a crash. */
@RestController
@Tag(name = "Cluster messages")
class PeersController {

    private final PeerProbe probe;

    PeersController(PeerProbe probe) {
        this.probe = probe;
    }

    @GetMapping("/peers")
    @Operation(summary = "Ping every other node of the cluster from this node and show who answered",
            description = "Each ping is a real message through the cluster client, so partitions and faults show here.")
    List<PeerProbe.PeerView> peers() {
        return probe.probeOthers();
    }
}
