package io.dtxlab.replica.quorum;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.core.quorum.HashRing;
import io.dtxlab.platform.fault.FaultPoint;
import io.dtxlab.platform.messaging.ClusterClient;
import java.util.List;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QuorumProperties.class)
class QuorumConfiguration {

    static final String REPLICA_APPLY = "quorum.replica-apply";

    /** Every replica of the membership list is on the ring; every node computes the same ring from the same list. */
    @Bean
    HashRing quorumRing(ClusterClient client, QuorumProperties properties) {
        List<String> replicas = client.members().asMap().keySet().stream()
                .filter(id -> NodeRole.ofNodeId(id).filter(role -> role == NodeRole.REPLICA).isPresent())
                .toList();
        return new HashRing(replicas.isEmpty() ? List.of(client.self()) : replicas, properties.virtualNodes());
    }

    @Bean
    FaultPoint quorumReplicaApply() {
        return new FaultPoint(REPLICA_APPLY, "a replica received a quorum write, hint or read repair and has not "
                + "stored it yet (DELAY here is a slow replica; CRASH loses the write on this replica only)");
    }
}
