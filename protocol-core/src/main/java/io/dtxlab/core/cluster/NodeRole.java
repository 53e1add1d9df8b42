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

    /** The Maven module (and jar) that runs nodes of this role. */
    public String module() {
        return module;
    }
}
