package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.HashRing;
import java.util.List;
import java.util.Map;

/**
 * The consistent-hashing ring as every node computes it.
 *
 * @param n replicas per key
 * @param virtualNodesPerNode tokens each replica owns
 * @param nodes the replicas on the ring
 * @param ownership each replica's share of the ring: the keys it is first in the preference list of
 * @param key where one key falls, when asked
 * @param tokens every token, in ring order
 */
record RingView(int n, int virtualNodesPerNode, List<String> nodes, Map<String, Double> ownership, Placement key,
        List<TokenView> tokens) {

    /**
     * @param key the key
     * @param position where its hash falls on the ring (16 hex digits)
     * @param preferenceList the N owners: the first N distinct replicas clockwise from the position
     * @param standIns the replicas after them, in the order they stand in for owners that are down
     */
    record Placement(String key, String position, List<String> preferenceList, List<String> standIns) {
    }

    /**
     * @param position the token (16 hex digits)
     * @param node the replica that owns the arc ending there
     */
    record TokenView(String position, String node) {
    }

    static RingView of(HashRing ring, int n, String key) {
        int shown = Math.min(n, ring.nodes().size());
        Placement placement = key == null ? null : new Placement(key, String.format("%016x", HashRing.hash(key)),
                ring.preferenceList(key, shown), ring.standIns(key, shown));
        Map<String, Double> ownership = new java.util.LinkedHashMap<>();
        ring.ownership().forEach((node, share) -> ownership.put(node, Math.round(share * 10_000) / 10_000.0));
        return new RingView(n, ring.virtualNodes(), List.copyOf(ring.nodes()), ownership, placement,
                ring.tokens().stream().map(t -> new TokenView(t.hex(), t.node())).toList());
    }
}
