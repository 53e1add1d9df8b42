package io.dtxlab.coordinator.consensus;

import static org.awaitility.Awaitility.await;

import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabNode;
import java.time.Duration;
import java.util.List;

/** The three coordinators of a test cluster, their Paxos drivers, and which one leads. */
final class ConsensusNodes {

    static final List<String> COORDINATORS = List.of("coordinator-1", "coordinator-2", "coordinator-3");

    private ConsensusNodes() {
    }

    static PaxosDriver driver(LabNode node) {
        return node.bean(PaxosDriver.class);
    }

    /** Waits (up to 60 s) until exactly one running coordinator leads and has caught up, and names it. */
    static String leader(LabCluster cluster) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<String> leading = COORDINATORS.stream().filter(id -> cluster.node(id).isRunning())
                    .filter(id -> driver(cluster.node(id)).leadsAndCaughtUp()).toList();
            return leading.size() == 1 ? leading.get(0) : null;
        }, l -> l != null);
    }
}
