package io.dtxlab.coordinator;

import io.dtxlab.coordinator.consensus.ConsensusProperties;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.node.LabService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** A transaction coordinator node; three of them form the coordinator cluster. */
@SpringBootApplication
@EnableConfigurationProperties({CoordinatorProperties.class, ConsensusProperties.class})
@LabService(NodeRole.COORDINATOR)
public class CoordinatorApplication {

    /** The typed client of the participants' wire contract. */
    @org.springframework.context.annotation.Bean
    io.dtxlab.contract.ParticipantClient participantClient(io.dtxlab.platform.messaging.ClusterClient client) {
        return new io.dtxlab.contract.ParticipantClient(client);
    }

    public static void main(String[] args) {
        SpringApplication.run(CoordinatorApplication.class, args);
    }
}
