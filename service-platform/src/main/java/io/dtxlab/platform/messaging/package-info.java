/**
 * Every message one of our nodes sends to another goes through the {@link
 * io.dtxlab.platform.messaging.ClusterClient}: one pooled, instrumented {@code RestClient} that applies
 * partitions and faults and records each message (from, to, kind, transaction id or key, latency,
 * outcome) in the {@link io.dtxlab.platform.messaging.MessageLog} and in Micrometer. Timelines and
 * message counts are built on that record. Heartbeats and their answers, tiny messages a protocol may lose, go as
 * datagrams through {@link io.dtxlab.platform.messaging.PeerDatagrams} (UDP on the node's HTTP port number), under the
 * same partitions, fault points, token and record; when datagrams are unavailable they go over HTTP. The requests the
 * protocols send most ride peer links ({@link io.dtxlab.platform.messaging.PeerLinks} and
 * {@link io.dtxlab.platform.messaging.PeerLinkServer}): one binary frame each way on a kept WebSocket connection, with
 * the same record and the same answers as over HTTP.
 */
package io.dtxlab.platform.messaging;
