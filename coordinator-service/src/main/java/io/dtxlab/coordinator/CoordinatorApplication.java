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

    public static void main(String[] args) {
        SpringApplication.run(CoordinatorApplication.class, args);
    }
}
