/**
 * Trace context (W3C {@code traceparent}) across nodes, so that Zipkin shows an order as one trace through order,
 * coordinator and participants. Off unless {@code dtx.tracing.enabled=true} ({@code DTX_TRACING_ENABLED}).
 * <ul>
 * <li>Off: Micrometer Tracing is not configured at all (no tracer, no tracing observation handler, no exemplars:
 * {@code io.dtxlab.platform.node.NodeEnvironmentPostProcessor} leaves its auto-configuration out) and
 * {@link MessageTracing#OFF} does nothing, so a message costs what it cost before tracing existed.</li>
 * <li>On: Micrometer Tracing over Brave, sampling every request unless
 * {@code management.tracing.sampling.probability} says otherwise, spans to Zipkin
 * ({@code management.tracing.export.zipkin.endpoint}). Each node's server span of {@code http.server.requests}
 * takes the caller's {@code traceparent}; {@link io.dtxlab.platform.messaging.ClusterClient} writes the current one
 * on every message it sends (it makes no client span of its own); Kafka records carry it (Spring Kafka's
 * observations: a producer span, and a consumer span in each listener), though a cluster event, published where no
 * request is current, starts a trace of its own; work handed to another thread takes it along
 * ({@link MessageTracing#wrap}, {@link MessageTracing#within}).</li>
 * </ul>
 * Batches: one request carries one {@code traceparent}, so a batch of several transactions (order's begins to the
 * coordinator, the coordinator's branch messages to a participant) belongs to the trace of its first transaction.
 */
package io.dtxlab.platform.tracing;
