package io.dtxlab.platform.tracing;

import io.micrometer.tracing.CurrentTraceContext;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** {@link MessageTracing} over Micrometer Tracing's tracer and propagator (Brave here, W3C format). */
final class MicrometerMessageTracing implements MessageTracing {

    private final Tracer tracer;
    private final Propagator propagator;

    MicrometerMessageTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public Object capture() {
        return tracer.currentTraceContext().context();
    }

    @Override
    public <T> T within(Object captured, Supplier<T> action) {
        if (!(captured instanceof TraceContext context)) {
            return action.get();
        }
        try (CurrentTraceContext.Scope scope = tracer.currentTraceContext().newScope(context)) {
            return action.get();
        }
    }

    @Override
    public void inject(BiConsumer<String, String> header) {
        TraceContext context = tracer.currentTraceContext().context();
        if (context != null) {
            propagator.inject(context, header, BiConsumer::accept);
        }
    }
}
