package io.dtxlab.chaos.workload;

import io.dtxlab.chaos.history.HistoryRecorder;
import io.dtxlab.chaos.history.Invoke;
import java.time.Duration;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What every workload's clients share: recording one operation, the loop around it, and each client's randomness. */
final class Clients {

    /** How long a client waits after an operation that got no answer or a 5xx, before its next one. */
    static final Duration BACK_OFF = Duration.ofMillis(100);

    private Clients() {
    }

    /**
     * Records one operation: its invoke, then {@code action}, then exactly one completion. An exception from
     * {@code action} is an {@code info}: the client cannot tell what the request did.
     *
     * @param request the invoke's value (what the client asks), or null
     * @return how it ended
     */
    static Outcome perform(HistoryRecorder history, String process, String f, String key, Object request,
            Supplier<Outcome> action) {
        Invoke invoke = history.invoke(process, f, key, request);
        Outcome outcome;
        try {
            outcome = action.get();
        } catch (RuntimeException e) {
            outcome = new Outcome.Info(null, "client error: " + e);
        }
        if (outcome instanceof Outcome.Ok ok) {
            history.ok(invoke, ok.value());
        } else if (outcome instanceof Outcome.Fail fail) {
            history.fail(invoke, fail.error());
        } else {
            Outcome.Info info = (Outcome.Info) outcome;
            history.info(invoke, info.value(), info.error());
        }
        return outcome;
    }

    /**
     * Runs {@code step} until {@code running} turns false; after a step that did not end {@code ok}, waits
     * {@link #BACK_OFF}. A failing recorder (closed, disk full) ends the loop: nothing could be recorded any more.
     */
    static void loop(BooleanSupplier running, Supplier<Outcome> step) {
        while (running.getAsBoolean()) {
            Outcome outcome;
            try {
                outcome = step.get();
            } catch (RuntimeException recorderFailed) {
                return;
            }
            if (!(outcome instanceof Outcome.Ok)) {
                Deadline.backOff(BACK_OFF, running);
            }
        }
    }

    /** A client's own random source: the run's seed mixed with the client's name, so a run can be repeated. */
    static Random random(long seed, String process) {
        long h = seed ^ (0x9E3779B97F4A7C15L * (process.hashCode() + 1L));
        h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
        return new Random(h ^ (h >>> 33));
    }
}
