package io.dtxlab.bench;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.Topology;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster under measurement: each node's base URL by node id ({@code order}, {@code inventory},
 * {@code payment}, {@code coordinator-1..3}, {@code replica-1..N}) and the admin token for the
 * {@code /admin/**} calls (seeding, replication settings).
 */
public record Targets(Map<String, String> urls, String adminToken) {

    public Targets {
        urls = Collections.unmodifiableMap(new LinkedHashMap<>(urls));
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("an admin token is needed (seeding and settings are admin calls)");
        }
    }

    /** Every node of {@code topology} on {@code host} (its ports, offset included), e.g. {@code http://localhost}. */
    public static Targets of(Topology topology, String hostUrl, String adminToken) {
        String base = hostUrl.replaceAll("/+$", "");
        if (!base.matches("https?://[^/:]+")) {
            throw new IllegalArgumentException("not a host URL without port or path: '" + hostUrl + "' (e.g. http://10.0.0.5)");
        }
        Map<String, String> urls = new LinkedHashMap<>();
        for (ClusterNode node : topology.nodes()) {
            urls.put(node.id(), base + ":" + node.port());
        }
        return new Targets(urls, adminToken);
    }

    /** The base URL of {@code node}. */
    public String url(String node) {
        String url = urls.get(node);
        if (url == null) {
            throw new IllegalArgumentException("no node '" + node + "' among " + urls.keySet());
        }
        return url;
    }

    public Optional<String> find(String node) {
        return Optional.ofNullable(urls.get(node));
    }

    public List<String> coordinators() {
        return urls.keySet().stream().filter(id -> id.startsWith("coordinator-")).toList();
    }

    public List<String> replicas() {
        return urls.keySet().stream().filter(id -> id.startsWith("replica-")).toList();
    }

    /** Redacted: the token never reaches a log line by accident. */
    @Override
    public String toString() {
        return "Targets" + urls;
    }
}
