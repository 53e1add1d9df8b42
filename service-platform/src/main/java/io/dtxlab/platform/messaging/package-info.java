/**
 * Every message one of our nodes sends to another goes through the {@link
 * io.dtxlab.platform.messaging.ClusterClient}: one pooled, instrumented {@code RestClient} that applies
 * partitions and faults and records each message (from, to, kind, transaction id or key, latency,
 * outcome) in the {@link io.dtxlab.platform.messaging.MessageLog} and in Micrometer. Timelines and
 * message counts are built on that record.
 */
package io.dtxlab.platform.messaging;
