/**
 * What {@code /actuator/health} says about a node, in two parts.
 * <ul>
 * <li>{@code /actuator/health} itself: the process is up and its own resources (database, disk) work. The launcher,
 * the tests and the compose healthchecks wait on it, so it never waits for other nodes.</li>
 * <li>{@code /actuator/health/readiness}: whether the node can do its job now, from its own state: a coordinator is
 * in a quorum and knows its leader ({@code consensus}); a replica reports its role and lag ({@code replication}) and
 * reaches Kafka ({@code kafka}), which carries its asynchronous replication. Not ready is {@link
 * Readiness#NOT_READY}, answered 503 by the readiness group and left out of the overall status.</li>
 * </ul>
 * Without a token both answer the status alone; with the admin token ({@code X-Admin-Token}) they add every
 * component's details ({@code management.endpoint.health.show-details=when-authorized}).
 */
package io.dtxlab.platform.health;
