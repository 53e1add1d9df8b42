package io.dtxlab.platform.console;

import io.dtxlab.core.cluster.NodeRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cluster map as the console draws it, read from every node at once through the {@link ClusterObserver}:
 * <ul>
 * <li>every node: {@code /actuator/health} (and {@code /actuator/info} once per incarnation, for its start);</li>
 * <li>coordinators: {@code /cluster?peers=false} (role, leader, ballot, epoch, log position; no pings);</li>
 * <li>replicas: {@code /replication/status} (role, master, epoch, lag; it pings its two peers);</li>
 * <li>participants: {@code /branches?state=} PREPARED, PRE_COMMITTED and VOTED, the branches in doubt;</li>
 * <li>one coordinator that answers, the leader first: {@code /transactions?limit=12}, timelines left out.</li>
 * </ul>
 * About 25 small GETs in all with the default nine nodes, each bounded by {@code dtx.console.read-timeout}. Fields that
 * change on every read without saying anything new (how long ago a heartbeat was heard, ping latencies) are left out,
 * so that an unchanged cluster gives an unchanged snapshot and nothing is pushed.
 */
@Component
class ClusterSnapshots {

    static final int RECENT_TRANSACTIONS = 12;
    private static final List<String> IN_DOUBT_STATES = List.of("PREPARED", "PRE_COMMITTED", "VOTED");

    private final ClusterObserver observer;
    private final JsonMapper json;
    /** Each node's {@code /actuator/info} node section, read again only after the node was seen down. */
    private final Map<String, JsonNode> infos = new ConcurrentHashMap<>();

    ClusterSnapshots(ClusterObserver observer, JsonMapper json) {
        this.observer = observer;
        this.json = json;
    }

    /** Reads the whole map, the nodes in parallel on {@code pool}; a node that does not answer is shown down. */
    ObjectNode take(Executor pool) {
        Map<String, String> nodes = observer.nodes();
        List<CompletableFuture<ObjectNode>> health = new ArrayList<>();
        List<CompletableFuture<JsonNode>> coordinators = new ArrayList<>();
        List<CompletableFuture<JsonNode>> replicas = new ArrayList<>();
        List<CompletableFuture<ObjectNode>> participants = new ArrayList<>();
        nodes.forEach((id, url) -> {
            health.add(CompletableFuture.supplyAsync(() -> node(id, url), pool));
            NodeRole role = NodeRole.ofNodeId(id).orElse(null);
            if (role == NodeRole.COORDINATOR) {
                coordinators.add(CompletableFuture.supplyAsync(() -> coordinator(id), pool));
            } else if (role == NodeRole.REPLICA) {
                replicas.add(CompletableFuture.supplyAsync(() -> replica(id), pool));
            } else if (role != null) {
                participants.add(CompletableFuture.supplyAsync(() -> inDoubt(id), pool));
            }
        });
        ObjectNode map = json.createObjectNode();
        map.put("servedBy", observer.self());
        ArrayNode nodeViews = map.putArray("nodes");
        health.forEach(f -> nodeViews.add(f.join()));
        ArrayNode coordinatorViews = map.putArray("coordinators");
        coordinators.forEach(f -> coordinatorViews.add(f.join()));
        ArrayNode replicaViews = map.putArray("replicas");
        replicas.forEach(f -> replicaViews.add(f.join()));
        ArrayNode inDoubt = map.putArray("inDoubt");
        participants.forEach(f -> inDoubt.add(f.join()));
        map.set("transactions", transactions(coordinatorViews));
        return map;
    }

    private ObjectNode node(String id, String url) {
        ObjectNode view = json.createObjectNode();
        view.put("id", id);
        view.put("role", NodeRole.ofNodeId(id).map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("unknown"));
        view.put("url", url);
        ClusterObserver.Answer health = observer.get(id, "/actuator/health");
        JsonNode body = parse(health.body());
        String status = body.path("status").asString("");
        view.put("up", health.error() == null && "UP".equals(status));
        view.put("status", health.error() != null ? "DOWN" : status.isEmpty() ? "HTTP " + health.status() : status);
        if (health.error() != null) {
            view.put("error", health.error());
            infos.remove(id);
            return view;
        }
        JsonNode info = infos.computeIfAbsent(id, n -> {
            ClusterObserver.Answer answer = observer.get(n, "/actuator/info");
            return answer.ok() ? parse(answer.body()).path("node") : null;
        });
        if (info != null) {
            view.put("incarnation", info.path("incarnation").asLong());
            view.put("startedAt", info.path("startedAt").asString());
        }
        return view;
    }

    private JsonNode coordinator(String id) {
        ClusterObserver.Answer answer = observer.get(id, "/cluster?peers=false");
        if (!answer.ok()) {
            return down(id, answer);
        }
        ObjectNode view = (ObjectNode) parse(answer.body());
        view.remove(List.of("peers", "leaseExpiresAt"));
        return view;
    }

    private JsonNode replica(String id) {
        ClusterObserver.Answer answer = observer.get(id, "/replication/status");
        if (!answer.ok()) {
            return down(id, answer);
        }
        ObjectNode view = (ObjectNode) parse(answer.body());
        view.remove(List.of("masterSilentForMs", "lastHeardFromMasterAt", "epochs", "applied"));
        for (JsonNode peer : view.path("peers")) {
            ((ObjectNode) peer).remove(List.of("latencyMs", "url", "outcome", "incarnation"));
        }
        return view;
    }

    private ObjectNode inDoubt(String id) {
        ObjectNode view = json.createObjectNode();
        view.put("participant", id);
        ArrayNode branches = view.putArray("branches");
        for (String state : IN_DOUBT_STATES) {
            ClusterObserver.Answer answer = observer.get(id, "/branches?limit=100&state=" + state);
            if (!answer.ok()) {
                view.put("error", answer.error() != null ? answer.error() : "HTTP " + answer.status());
                break;
            }
            for (JsonNode branch : parse(answer.body())) {
                ((ObjectNode) branch).remove("payload");
                branches.add(branch);
            }
        }
        return view;
    }

    /** The recent transactions from the leader, or from any coordinator that answers (each holds the log). */
    private JsonNode transactions(ArrayNode coordinators) {
        List<String> order = new ArrayList<>();
        for (JsonNode c : coordinators) {
            if ("LEADER".equals(c.path("role").asString())) {
                order.add(0, c.path("node").asString());
            } else if (!c.path("down").asBoolean()) {
                order.add(c.path("node").asString());
            }
        }
        for (String coordinator : order) {
            ClusterObserver.Answer answer = observer.get(coordinator, "/transactions?limit=" + RECENT_TRANSACTIONS);
            if (answer.ok()) {
                JsonNode list = parse(answer.body());
                for (JsonNode tx : list) {
                    ((ObjectNode) tx).remove(List.of("timeline", "timelineFrom", "timelineStored", "timelineMissing"));
                }
                return list;
            }
        }
        return json.createArrayNode();
    }

    private ObjectNode down(String id, ClusterObserver.Answer answer) {
        ObjectNode view = json.createObjectNode();
        view.put("node", id);
        view.put("down", true);
        view.put("error", answer.error() != null ? answer.error() : "HTTP " + answer.status());
        return view;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(body);
        } catch (RuntimeException e) {
            return json.createObjectNode();
        }
    }
}
