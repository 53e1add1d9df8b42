package io.dtxlab.launcher.node;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.process.PidFile;
import io.dtxlab.launcher.workspace.ClusterSettings;
import io.dtxlab.launcher.workspace.NodeIds;
import io.dtxlab.launcher.workspace.Workspace;
import java.util.Optional;

/** The node a command is about, resolved against the topology the last {@code up} used. */
record Target(Workspace workspace, Topology topology, ClusterNode node) {

    static Target of(Workspace workspace, String nodeId, String what) {
        Topology topology = ClusterSettings.topologyOf(workspace);
        return new Target(workspace, topology, NodeIds.resolve(nodeId, topology, what));
    }

    String id() {
        return node.id();
    }

    Optional<ProcessHandle> process() {
        return PidFile.read(workspace.pidFile(node.id())).flatMap(PidFile::liveProcess);
    }
}
