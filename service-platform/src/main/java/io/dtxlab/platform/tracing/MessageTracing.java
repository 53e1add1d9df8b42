package io.dtxlab.platform.tracing;

import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The hook between our own messaging and the tracer: what carries a trace context across threads and into the
 * headers of a message. {@link #OFF} when tracing is off: every method is then a no-op that allocates nothing.
 */
public interface MessageTracing {

    /** Tracing off: nothing is captured, injected or wrapped. */
    MessageTracing OFF = new MessageTracing() {
        @Override
        public Object capture() {
            return null;
        }

        @Override
        public <T> T within(Object captured, Supplier<T> action) {
            return action.get();
        }

        @Override
        public void inject(BiConsumer<String, String> header) {
        }

        @Override
        public Runnable wrap(Runnable task) {
            return task;
        }
    };

    /** The trace context current on this thread, to carry elsewhere; null when tracing is off or there is none. */
    Object capture();

    /** Runs {@code action} with {@code captured} (from {@link #capture}) as the current trace context. */
    <T> T within(Object captured, Supplier<T> action);

    /** Hands the current trace context's propagation headers (W3C {@code traceparent}) to {@code header}. */
    void inject(BiConsumer<String, String> header);

    /** {@code task}, made to run in the trace context current now (as is, when there is none). */
    default Runnable wrap(Runnable task) {
        Object captured = capture();
        if (captured == null) {
            return task;
        }
        return () -> within(captured, () -> {
            task.run();
            return null;
        });
    }
}
