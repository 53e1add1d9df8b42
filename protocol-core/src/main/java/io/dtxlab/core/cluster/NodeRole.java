package io.dtxlab.core.cluster;

/** What a node does in the lab; each role is one service module (one jar). */
public enum NodeRole {
    ORDER("order-service"),
    INVENTORY("inventory-service"),
    PAYMENT("payment-service"),
    COORDINATOR("coordinator-service"),
    REPLICA("replica-service");

    private final String module;

    NodeRole(String module) {
        this.module = module;
    }

    /**
     * The role of a node id of the lab's naming scheme: {@code order}, {@code inventory}, {@code payment},
     * {@code coordinator-N}, {@code replica-N}.
     */
    public static java.util.Optional<NodeRole> ofNodeId(String nodeId) {
        for (NodeRole role : values()) {
            String name = role.name().toLowerCase(java.util.Locale.ROOT);
            if (nodeId.equals(name) || nodeId.startsWith(name + "-")) {
                return java.util.Optional.of(role);
            }
        }
        return java.util.Optional.empty();
    }

    /** The Maven module (and jar) that runs nodes of this role. */
    public String module() {
        return module;
    }
}
