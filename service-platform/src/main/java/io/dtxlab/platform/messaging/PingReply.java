package io.dtxlab.platform.messaging;

import io.dtxlab.core.cluster.NodeRole;

/** A node's answer to a ping: who it is and which incarnation answered. */
public record PingReply(String node, NodeRole role, long incarnation) {
}
