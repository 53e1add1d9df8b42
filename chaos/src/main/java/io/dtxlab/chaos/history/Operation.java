package io.dtxlab.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Objects;

/**
 * One client operation: its invoke paired with its completion ({@link History#operations()}).
 *
 * @param id the invoke's position in the history, from 0: a stable name for the operation in reports
 * @param invoke what the client asked, and when
 * @param completion how it ended, and when
 */
public record Operation(int id, Invoke invoke, Completion completion) {

    public Operation {
        Objects.requireNonNull(invoke, "invoke");
        Objects.requireNonNull(completion, "completion");
        if (!invoke.process().equals(completion.process()) || !invoke.f().equals(completion.f())
                || !Objects.equals(invoke.key(), completion.key())) {
            throw new IllegalArgumentException("the completion " + completion + " is not of the operation " + invoke);
        }
        if (completion.time() < invoke.time()) {
            throw new IllegalArgumentException("operation " + id + " completed before it was invoked");
        }
    }

    /** The client that ran it. */
    public String process() {
        return invoke.process();
    }

    /** Its function, e.g. {@code write}. */
    public String f() {
        return invoke.f();
    }

    /** Its key, or null. */
    public String key() {
        return invoke.key();
    }

    /** It happened: the completion is {@link Ok}. */
    public boolean ok() {
        return completion instanceof Ok;
    }

    /** It definitely did not happen: the completion is {@link Fail}. */
    public boolean failed() {
        return completion instanceof Fail;
    }

    /** Nobody knows whether it happened: the completion is {@link Info}. */
    public boolean unknown() {
        return completion instanceof Info;
    }

    /** When the client invoked it, in nanoseconds since the run's start. */
    public long invokedAt() {
        return invoke.time();
    }

    /** When the client heard its outcome or gave up waiting, in nanoseconds since the run's start. */
    public long completedAt() {
        return completion.time();
    }

    /**
     * The latest time its effect can have happened: its completion, or {@link Long#MAX_VALUE} (infinity) when the
     * outcome is unknown, since an {@code info} operation may take effect at any time after its invoke.
     */
    public long latestEffect() {
        return unknown() ? Long.MAX_VALUE : completion.time();
    }

    /** Whether this operation completed before {@code other} was invoked: real-time order, as linearizability uses. */
    public boolean precedes(Operation other) {
        return latestEffect() < other.invokedAt();
    }

    /** Whether the two operations' intervals (an unknown one's open-ended) overlap in time. */
    public boolean overlaps(Operation other) {
        return !precedes(other) && !other.precedes(this);
    }

    /** The value the client asked with: the invoke's. */
    public JsonNode request() {
        return invoke.value();
    }

    /** What the client was told: the completion's value. */
    public JsonNode response() {
        return completion.value();
    }

    /**
     * One line a report can show: {@code #12 client-3 write k1 "v5" -> ok "..." [1.204 ms .. 3.310 ms]}; times in ms
     * since the run's start.
     */
    public String describe() {
        StringBuilder s = new StringBuilder("#").append(id).append(' ').append(process()).append(' ').append(f());
        if (key() != null) {
            s.append(' ').append(key());
        }
        if (!request().isNull()) {
            s.append(' ').append(request());
        }
        s.append(" -> ").append(outcome());
        if (!response().isNull() && !failed()) {
            s.append(' ').append(response());
        }
        if (completion.error() != null) {
            s.append(" (").append(completion.error()).append(')');
        }
        return s.append(" [").append(millis(invokedAt())).append(" .. ").append(millis(completedAt())).append(']')
                .toString();
    }

    /** How it ended, as the completion's type in a history: {@code ok}, {@code fail} or {@code info}. */
    public String outcome() {
        return ok() ? "ok" : failed() ? "fail" : "info";
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
