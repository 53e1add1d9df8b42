package io.dtxlab.launcher.health;

/**
 * The node's own account of itself from {@code /actuator/info}. The incarnation counts restarts over the
 * same data dir, which is how one sees that a restarted node came back with its state.
 */
public record NodeInfo(String id, String role, long incarnation) {
}
