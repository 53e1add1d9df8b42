package io.dtxlab.launcher.workspace;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.UserError;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Turns a node id from the command line into a node, with messages that say what would have worked. */
public final class NodeIds {

    private NodeIds() {
    }

    /**
     * The node called {@code id}. Kafka is part of the cluster but lives inside the launcher, so asking
     * to {@code what} it (stop, kill, start) gets an explanation instead of "unknown node".
     */
    public static ClusterNode resolve(String id, Topology topology, String what) {
        if (Topology.KAFKA.equals(id)) {
            throw new UserError("kafka runs inside the launcher (./dtx up), not as a process of its own, so it "
                    + "cannot " + what + " on its own. Stopping the launcher (Ctrl-C) stops Kafka; ./dtx up starts it.");
        }
        return topology.node(id).orElseThrow(() -> new UserError(
                "unknown node '" + id + "'. Known nodes: " + knownIds(topology), UserError.USAGE));
    }

    public static String knownIds(Topology topology) {
        return Stream.concat(topology.nodes().stream().map(ClusterNode::id), Stream.of(Topology.KAFKA))
                .collect(Collectors.joining(", "));
    }
}
