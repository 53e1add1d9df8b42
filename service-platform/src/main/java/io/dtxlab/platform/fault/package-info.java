/**
 * Fault injection, shared by every service. Code marks its protocol points with
 * {@link io.dtxlab.platform.fault.FaultInjector#at}; an operator (or a test) arms a
 * {@link io.dtxlab.platform.fault.FaultRule} at a point through {@code /admin/faults}: delay, error,
 * drop or crash, optionally only for one transaction id or key, only towards one peer, and only N times.
 * Messages between nodes pass the points {@code send:<kind>} (before the request leaves) and
 * {@code reply:<kind>} (after the peer answered: a dropped reply means the peer did the work but the
 * sender never heard). The {@link io.dtxlab.platform.fault.PartitionTable} cuts this node off from
 * named nodes in both directions.
 */
package io.dtxlab.platform.fault;
