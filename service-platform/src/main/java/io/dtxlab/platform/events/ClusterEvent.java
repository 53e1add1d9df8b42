package io.dtxlab.platform.events;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened on a node that others may want to see.
 *
 * @param type e.g. NODE_STARTED, LEADER_ELECTED, DECISION
 * @param node the node it happened on
 * @param incarnation which start of that node
 * @param at when
 * @param details anything else, by name
 */
public record ClusterEvent(String type, String node, long incarnation, Instant at, Map<String, Object> details) {
}
