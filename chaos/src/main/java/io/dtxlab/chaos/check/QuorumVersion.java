package io.dtxlab.chaos.check;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * One version of a key as the replica service's quorum reads answer it ({@code VersionBody} on the wire): the value and
 * its dotted version vector.
 *
 * @param value the value
 * @param clock the vector clock clients see (node to counter): {@code past} with the dot's entry raised to the dot
 * @param dot the write that made the version: its coordinator and that node's counter for the key; null for a
 *        version written before dots, whose {@code clock} is then a plain vector clock
 * @param past what the writer had seen: the context it wrote with
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record QuorumVersion(String value, Map<String, Long> clock, Dot dot, Map<String, Long> past) {

    /**
     * A dot: one write, named by its coordinator and that node's counter for the key (Preguiça et al., "Dotted
     * Version Vectors", 2010).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Dot(String node, long counter) {

        /** Whether a clock or context has seen this write: its counter for {@link #node} reaches {@link #counter}. */
        boolean in(Map<String, Long> clock) {
            return clock != null && clock.getOrDefault(node, 0L) >= counter;
        }

        @Override
        public String toString() {
            return node + ":" + counter;
        }
    }

    /**
     * Whether this version is, or has seen, the write that made {@code dot} (with {@code clock}), so that a replica may
     * drop that write in this version's favour: its past holds the dot (Dynamo with dotted version vectors, as the
     * service's {@code Version.covers}); for a write without a dot, this clock descends that clock.
     */
    boolean covers(Dot dot, Map<String, Long> clock) {
        if (dot != null) {
            return dot.equals(this.dot) || dot.in(past);
        }
        if (clock == null || this.clock == null) {
            return false;
        }
        return clock.entrySet().stream().allMatch(e -> this.clock.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }
}
