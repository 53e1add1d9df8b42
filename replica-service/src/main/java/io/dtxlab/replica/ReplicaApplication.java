package io.dtxlab.replica;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.node.LabService;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A replica node: master-slave replication and Dynamo-style quorums run here. */
@SpringBootApplication
@LabService(NodeRole.REPLICA)
public class ReplicaApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReplicaApplication.class, args);
    }
}
