package io.dtxlab.core.quorum;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The consistent-hashing ring. Each node owns {@code virtualNodes} tokens, points on a ring of 2^64 positions
 * (the first 8 bytes of MD5, as Dynamo and Cassandra's RandomPartitioner use). A key is hashed onto the ring; its
 * preference list is the first N distinct nodes met walking clockwise from there, and the nodes after those are
 * its stand-ins, in order, for a sloppy quorum. Virtual nodes spread each node's share over many small arcs, so
 * the load of a node that leaves spreads over all the others.
 */
public final class HashRing {

    private final List<Token> tokens;
    private final Set<String> nodes;
    private final int virtualNodes;

    /**
     * A token: one point of the ring and the node that owns the arc ending there.
     *
     * @param position where on the ring, as an unsigned 64-bit number
     * @param node the owner
     * @param index which of the owner's virtual nodes
     */
    public record Token(long position, String node, int index) {

        /** The position as 16 hex digits, as people read it. */
        public String hex() {
            return String.format("%016x", position);
        }
    }

    public HashRing(Collection<String> nodes, int virtualNodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one node");
        }
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("each node needs at least one virtual node, was " + virtualNodes);
        }
        this.nodes = new TreeSet<>(nodes);
        this.virtualNodes = virtualNodes;
        List<Token> all = new ArrayList<>();
        for (String node : this.nodes) {
            for (int i = 0; i < virtualNodes; i++) {
                all.add(new Token(hash(node + "#" + i), node, i));
            }
        }
        all.sort((a, b) -> {
            int c = Long.compareUnsigned(a.position(), b.position());
            return c != 0 ? c : a.node().compareTo(b.node());
        });
        this.tokens = List.copyOf(all);
    }

    /** Where {@code key} falls on the ring. */
    public static long hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
            long h = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (digest[i] & 0xffL);
            }
            return h;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /** Every node in the order a walk from {@code key}'s position meets them: owners first, then stand-ins. */
    public List<String> walk(String key) {
        long h = hash(key);
        int start = firstTokenAtOrAfter(h);
        Set<String> met = new LinkedHashSet<>();
        for (int i = 0; i < tokens.size() && met.size() < nodes.size(); i++) {
            met.add(tokens.get((start + i) % tokens.size()).node());
        }
        return List.copyOf(met);
    }

    /** The {@code n} nodes that hold {@code key}: the first n distinct nodes clockwise from its position. */
    public List<String> preferenceList(String key, int n) {
        checkN(n);
        return walk(key).subList(0, n);
    }

    /** The nodes that stand in, in this order, for owners of {@code key} that are down (a sloppy quorum). */
    public List<String> standIns(String key, int n) {
        checkN(n);
        List<String> walk = walk(key);
        return walk.subList(n, walk.size());
    }

    /** For each node, the share of the ring (0..1) whose keys it is first in the preference list of. */
    public Map<String, Double> ownership() {
        Map<String, Double> share = new LinkedHashMap<>();
        nodes.forEach(node -> share.put(node, 0.0));
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            long previous = tokens.get((i - 1 + tokens.size()) % tokens.size()).position();
            double arc = unsigned(token.position() - previous) / 18446744073709551616.0;
            if (tokens.size() == 1) {
                arc = 1.0;
            }
            share.merge(token.node(), arc, Double::sum);
        }
        return share;
    }

    public List<Token> tokens() {
        return tokens;
    }

    public Set<String> nodes() {
        return nodes;
    }

    public int virtualNodes() {
        return virtualNodes;
    }

    private void checkN(int n) {
        if (n < 1 || n > nodes.size()) {
            throw new IllegalArgumentException("N=" + n + " but the ring has " + nodes.size() + " nodes " + nodes
                    + ": N must be between 1 and the number of nodes");
        }
    }

    private int firstTokenAtOrAfter(long h) {
        int lo = 0;
        int hi = tokens.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(tokens.get(mid).position(), h) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == tokens.size() ? 0 : lo; // past the last token the walk wraps round to the first
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : v + 18446744073709551616.0;
    }
}
