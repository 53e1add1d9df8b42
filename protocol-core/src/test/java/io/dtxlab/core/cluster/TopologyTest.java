package io.dtxlab.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopologyTest {

    @Test
    void theDefaultClusterHasTheDocumentedNodesAndPorts() {
        Topology topology = Topology.defaults();

        assertThat(topology.nodes()).extracting(ClusterNode::id, ClusterNode::port).containsExactly(
                org.assertj.core.groups.Tuple.tuple("order", 8081),
                org.assertj.core.groups.Tuple.tuple("inventory", 8082),
                org.assertj.core.groups.Tuple.tuple("payment", 8083),
                org.assertj.core.groups.Tuple.tuple("coordinator-1", 8091),
                org.assertj.core.groups.Tuple.tuple("coordinator-2", 8092),
                org.assertj.core.groups.Tuple.tuple("coordinator-3", 8093),
                org.assertj.core.groups.Tuple.tuple("replica-1", 8071),
                org.assertj.core.groups.Tuple.tuple("replica-2", 8072),
                org.assertj.core.groups.Tuple.tuple("replica-3", 8073));
        assertThat(topology.kafkaPort()).isEqualTo(9092);
    }

    @Test
    void moreReplicasTakeTheNextPortsAndAnOffsetMovesEverything() {
        Topology topology = Topology.of(5, 1000);

        assertThat(topology.node("replica-5")).map(ClusterNode::port).contains(9075);
        assertThat(topology.node("order")).map(ClusterNode::port).contains(9081);
        assertThat(topology.kafkaPort()).isEqualTo(10092);
        assertThat(topology.withRole(NodeRole.REPLICA)).hasSize(5);
    }

    @Test
    void membersStringRoundTripsThroughMembership() {
        Membership membership = Membership.parse(Topology.defaults().members("localhost"));

        assertThat(membership.url("coordinator-2")).contains("http://localhost:8092");
        assertThat(membership.asMap()).hasSize(9);
    }

    @Test
    void everyDefaultNodeIdNamesItsRole() {
        Topology.of(5, 0).nodes().forEach(node -> assertThat(NodeRole.ofNodeId(node.id())).contains(node.role()));
        assertThat(NodeRole.ofNodeId("kafka")).isEmpty();
    }

    @Test
    void aMalformedMemberIsRejectedWithTheEntryNamed() {
        assertThatThrownBy(() -> Membership.parse("order@http://a:1,inventory"))
                .hasMessageContaining("'inventory'").hasMessageContaining("id@url");
        assertThatThrownBy(() -> Membership.parse("order@http://a:1,order@http://b:2"))
                .hasMessageContaining("listed twice");
    }
}
