package io.dtxlab.coordinator.transaction;

import java.time.Instant;

/**
 * One line of a transaction's timeline: a message between the coordinator and a participant, or a record the
 * coordinator made durable.
 *
 * @param atMs milliseconds since the coordinator took the begin
 * @param type {@code message} (counted in the message total) or {@code log}
 * @param what e.g. {@code prepare}, {@code vote YES}, {@code commit}, {@code ack}, {@code DECISION COMMIT}
 * @param detail a reason, an attempt number, or why a message got no answer
 */
public record TimelineEntry(Instant at, long atMs, String type, String from, String to, String what, String detail) {
}
