package io.dtxlab.platform.fault;

import java.time.Duration;

/**
 * An armed fault.
 *
 * @param id the rule's id, for listing and clearing
 * @param point the fault point's name, e.g. {@code send:prepare} or {@code coordinator.after-decision}
 * @param action what happens there
 * @param delay how long a DELAY waits
 * @param scope only for this transaction id or key; null for all
 * @param peer only for messages to or from this node; null for all
 * @param times how many times it fires before it disarms itself; null for every time
 */
public record FaultRule(String id, String point, FaultAction action, Duration delay, String scope, String peer, Integer times) {

    boolean matches(String point, String scope, String peer) {
        return this.point.equals(point)
                && (this.scope == null || this.scope.equals(scope))
                && (this.peer == null || this.peer.equals(peer));
    }
}
