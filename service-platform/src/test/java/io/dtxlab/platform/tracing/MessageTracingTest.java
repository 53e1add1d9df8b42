package io.dtxlab.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import brave.Tracing;
import brave.propagation.ThreadLocalCurrentTraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessageTracingTest {

    private final Tracing brave = Tracing.newBuilder()
            .currentTraceContext(ThreadLocalCurrentTraceContext.create())
            .propagationFactory(new W3CPropagation(new BraveBaggageManager(), List.of()))
            .build();
    private final Tracer tracer = new BraveTracer(brave.tracer(), new BraveCurrentTraceContext(brave.currentTraceContext()),
            new BraveBaggageManager());
    private final MessageTracing tracing = new MicrometerMessageTracing(tracer, new BravePropagator(brave));
    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        otherThread.shutdownNow();
        brave.close();
    }

    @Test
    void aMessageCarriesTheCurrentTraceAsW3cTraceparent() {
        Span span = tracer.nextSpan().name("POST /orders").start();
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            Map<String, String> headers = new LinkedHashMap<>();
            tracing.inject(headers::put);

            assertThat(headers.get("traceparent"))
                    .matches("00-0*" + span.context().traceId() + "-" + span.context().spanId() + "-01");
        } finally {
            span.end();
        }
    }

    @Test
    void theTraceTravelsToTheThreadThatSendsTheMessage() {
        Span span = tracer.nextSpan().name("begin").start();
        CompletableFuture<Map<String, String>> sent;
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            Object captured = tracing.capture();
            sent = CompletableFuture.supplyAsync(() -> tracing.within(captured, () -> {
                Map<String, String> headers = new LinkedHashMap<>();
                tracing.inject(headers::put);
                return headers;
            }), otherThread);
        } finally {
            span.end();
        }

        assertThat(sent.join().get("traceparent")).contains(span.context().traceId());
        // and it does not stay behind on that thread
        assertThat(CompletableFuture.supplyAsync(tracing::capture, otherThread).join()).isNull();
    }

    @Test
    void withoutATraceOrWithTracingOffNothingIsAdded() {
        Map<String, String> headers = new LinkedHashMap<>();
        tracing.inject(headers::put);
        MessageTracing.OFF.inject(headers::put);
        Runnable task = () -> { };

        assertThat(headers).isEmpty();
        assertThat(tracing.capture()).isNull();
        assertThat(MessageTracing.OFF.wrap(task)).isSameAs(task);
        assertThat(tracing.wrap(task)).isSameAs(task);
    }
}
