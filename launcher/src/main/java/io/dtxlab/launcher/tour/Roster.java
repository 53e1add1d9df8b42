package io.dtxlab.launcher.tour;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.core.cluster.Topology;
import java.util.List;

/** The cluster's node ids by role, in topology order: what stories choose nodes from. */
record Roster(List<String> coordinators, List<String> replicas) {

    static Roster of(Topology topology) {
        return new Roster(ids(topology, NodeRole.COORDINATOR), ids(topology, NodeRole.REPLICA));
    }

    private static List<String> ids(Topology topology, NodeRole role) {
        return topology.withRole(role).stream().map(ClusterNode::id).toList();
    }

    /** The first of {@code nodes} after {@code node}, going round: the README's {@code coordinator-$(( n % 3 + 1 ))}. */
    static String next(List<String> nodes, String node) {
        int at = nodes.indexOf(node);
        return nodes.get((at + 1) % nodes.size());
    }

    /** Every one of {@code nodes} but {@code node}. */
    static List<String> allBut(List<String> nodes, String node) {
        return nodes.stream().filter(n -> !n.equals(node)).toList();
    }
}
