package io.dtxlab.core.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The lab's nodes and ports. The defaults are fixed (README, compose and launcher use them):
 * order 8081, inventory 8082, payment 8083, coordinator-1..3 on 8091..8093, replica-1..N on
 * 8071.., Kafka on 9092. A port offset moves the whole cluster, so a second one can run beside it.
 */
public final class Topology {

    public static final int KAFKA_PORT = 9092;
    public static final int DEFAULT_REPLICAS = 3;
    public static final int COORDINATORS = 3;
    public static final String KAFKA = "kafka";

    private final Map<String, ClusterNode> nodes;
    private final int portOffset;

    private Topology(List<ClusterNode> nodes, int portOffset) {
        Map<String, ClusterNode> byId = new LinkedHashMap<>();
        nodes.forEach(node -> byId.put(node.id(), node));
        this.nodes = Collections.unmodifiableMap(byId);
        this.portOffset = portOffset;
    }

    /** The default cluster: three participants, three coordinators and three replicas. */
    public static Topology defaults() {
        return of(DEFAULT_REPLICAS, 0);
    }

    /** The default cluster with {@code replicas} replica nodes, every port moved by {@code portOffset}. */
    public static Topology of(int replicas, int portOffset) {
        if (replicas < 1 || replicas > 9) {
            throw new IllegalArgumentException("replicas must be between 1 and 9, was " + replicas);
        }
        if (portOffset < 0 || portOffset + 9093 + 1 > 65535) {
            throw new IllegalArgumentException("port offset out of range: " + portOffset);
        }
        List<ClusterNode> nodes = new ArrayList<>();
        nodes.add(new ClusterNode("order", NodeRole.ORDER, 8081 + portOffset));
        nodes.add(new ClusterNode("inventory", NodeRole.INVENTORY, 8082 + portOffset));
        nodes.add(new ClusterNode("payment", NodeRole.PAYMENT, 8083 + portOffset));
        for (int i = 1; i <= COORDINATORS; i++) {
            nodes.add(new ClusterNode("coordinator-" + i, NodeRole.COORDINATOR, 8090 + i + portOffset));
        }
        for (int i = 1; i <= replicas; i++) {
            nodes.add(new ClusterNode("replica-" + i, NodeRole.REPLICA, 8070 + i + portOffset));
        }
        return new Topology(nodes, portOffset);
    }

    public List<ClusterNode> nodes() {
        return List.copyOf(nodes.values());
    }

    public Optional<ClusterNode> node(String id) {
        return Optional.ofNullable(nodes.get(id));
    }

    public List<ClusterNode> withRole(NodeRole role) {
        return nodes.values().stream().filter(n -> n.role() == role).toList();
    }

    public int kafkaPort() {
        return KAFKA_PORT + portOffset;
    }

    /** Kafka's KRaft controller listener, right above the broker port. */
    public int kafkaControllerPort() {
        return KAFKA_PORT + 1 + portOffset;
    }

    public int portOffset() {
        return portOffset;
    }

    /** The membership string every service is given: {@code id@url,id@url,...}. */
    public String members(String host) {
        return nodes.values().stream().map(n -> n.id() + "@" + n.url(host)).collect(Collectors.joining(","));
    }
}
