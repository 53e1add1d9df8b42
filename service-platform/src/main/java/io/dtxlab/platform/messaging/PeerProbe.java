package io.dtxlab.platform.messaging;

import io.dtxlab.core.cluster.NodeRole;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Pings a set of nodes in parallel through the cluster client and reports who answered. A ping waits at most
 * {@link #PING_WITHIN}: a status page must not hang on a peer that is stopped or cut off, which would never refuse
 * the connection (a crashed one does at once).
 */
@Component
public class PeerProbe implements DisposableBean {

    /** The longest a ping waits for its answer; a slower peer is shown unreachable (TIMEOUT). */
    static final Duration PING_WITHIN = Duration.ofSeconds(1);

    private final ClusterClient client;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "peer-probe");
        t.setDaemon(true);
        return t;
    });

    PeerProbe(ClusterClient client) {
        this.client = client;
    }

    /**
     * One peer as seen from here.
     *
     * @param node the peer's id
     * @param url where it listens
     * @param reachable whether it answered the ping
     * @param outcome how the ping ended
     * @param latencyMs how long it took
     * @param incarnation which start of the peer answered, when it did
     */
    public record PeerView(String node, String url, boolean reachable, MessageOutcome outcome, long latencyMs,
            Long incarnation) {
    }

    /** Pings every other member of the cluster that has {@code role}. */
    public List<PeerView> probeOthers(NodeRole role) {
        return probe(client.members().asMap().keySet().stream()
                .filter(id -> !id.equals(client.self()))
                .filter(id -> NodeRole.ofNodeId(id).filter(r -> r == role).isPresent())
                .toList());
    }

    /** Pings every other member of the cluster. */
    public List<PeerView> probeOthers() {
        return probe(client.members().asMap().keySet().stream().filter(id -> !id.equals(client.self())).toList());
    }

    public List<PeerView> probe(Collection<String> nodes) {
        List<CompletableFuture<PeerView>> pings = new ArrayList<>();
        for (String node : nodes) {
            pings.add(CompletableFuture.supplyAsync(() -> ping(node), pool));
        }
        return pings.stream().map(CompletableFuture::join).toList();
    }

    private PeerView ping(String node) {
        String url = client.members().url(node).orElse(null);
        long start = System.nanoTime();
        try {
            PingReply reply = client.get(node, "ping", null, "/internal/ping", PingReply.class, PING_WITHIN);
            return new PeerView(node, url, true, MessageOutcome.DELIVERED, millisSince(start),
                    reply == null ? null : reply.incarnation());
        } catch (ClusterCallException e) {
            return new PeerView(node, url, false, e.outcome(), millisSince(start), null);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}
