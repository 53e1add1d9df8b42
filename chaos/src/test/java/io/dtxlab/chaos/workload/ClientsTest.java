package io.dtxlab.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.HistoryRecorder;
import io.dtxlab.chaos.history.Operation;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ClientsTest {

    private final HistoryRecorder history = new HistoryRecorder(new StringWriter(), System::nanoTime);

    @Test
    void anExceptionInTheRequestIsAnInfoNotALostCompletion() {
        Outcome outcome = Clients.perform(history, "c1", "write", "k", "v", () -> {
            throw new IllegalStateException("boom");
        });

        assertThat(outcome).isInstanceOf(Outcome.Info.class);
        Operation op = history.history().operations().get(0);
        assertThat(op.unknown()).isTrue();
        assertThat(op.completion().error()).isEqualTo("client error: java.lang.IllegalStateException: boom");
    }

    @Test
    void theLoopRunsUntilToldToStopAndAFailingRecorderEndsIt() {
        AtomicInteger steps = new AtomicInteger();
        Clients.loop(times(3), () -> Clients.perform(history, "c1", "read", "k", null, () -> {
            steps.incrementAndGet();
            return new Outcome.Ok("v");
        }));
        history.close();
        Clients.loop(() -> true, () -> Clients.perform(history, "c1", "read", "k", null, () -> new Outcome.Ok("v")));

        History recorded = history.history();
        assertThat(steps).hasValue(3);
        assertThat(recorded.operations()).hasSize(3).allMatch(Operation::ok);
    }

    @Test
    void eachClientHasItsOwnRepeatableRandomness() {
        assertThat(Clients.random(7, "c1").nextLong()).isEqualTo(Clients.random(7, "c1").nextLong())
                .isNotEqualTo(Clients.random(7, "c2").nextLong());
    }

    /** Running for {@code n} loop turns (a loop that backs off asks more often: see {@link #until}). */
    static BooleanSupplier times(int n) {
        AtomicInteger left = new AtomicInteger(n);
        return () -> left.getAndDecrement() > 0;
    }

    /** Running until {@code history} holds {@code n} operations. */
    static BooleanSupplier until(HistoryRecorder history, int n) {
        return () -> history.history().events().size() < 2 * n;
    }
}
