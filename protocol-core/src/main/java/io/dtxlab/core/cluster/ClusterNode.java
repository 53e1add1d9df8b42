package io.dtxlab.core.cluster;

import java.util.Objects;

/** One node of the default topology: its id, its role and its port on the local machine. */
public record ClusterNode(String id, NodeRole role, int port) {

    public ClusterNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** The base URL of this node on {@code host}. */
    public String url(String host) {
        return "http://" + host + ":" + port;
    }
}
