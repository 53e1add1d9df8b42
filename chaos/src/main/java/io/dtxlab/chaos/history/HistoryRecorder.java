package io.dtxlab.chaos.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Records a run's history as it happens: each event gets its time and is appended as one JSON line, flushed, so a
 * runner that dies leaves every event it recorded. Thread-safe: clients and the nemesis record from their own
 * threads. The time is taken under the same lock as the append, so lines are in time order.
 * <p>
 * Time comes from the {@code nanoTime} given (a monotonic clock), counted from this recorder's creation.
 */
public final class HistoryRecorder implements AutoCloseable {

    private final Writer out;
    private final LongSupplier nanoTime;
    private final long start;
    private final List<Event> events = new ArrayList<>();
    private final Map<String, Invoke> pending = new HashMap<>();
    private boolean closed;

    /**
     * @param out where the lines go; closed with this recorder
     * @param nanoTime a monotonic clock in nanoseconds (production: {@code System::nanoTime})
     */
    public HistoryRecorder(Writer out, LongSupplier nanoTime) {
        this.out = out;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
    }

    /** Records into {@code file} (UTF-8, created or emptied) on the JVM's monotonic clock. */
    public static HistoryRecorder to(Path file) {
        try {
            return new HistoryRecorder(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                    System::nanoTime);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a history into " + file, e);
        }
    }

    /**
     * A client begins an operation.
     *
     * @param value what it asks (any value {@link JsonLines#value} takes), or null
     * @throws IllegalStateException when {@code process} has an operation under way
     */
    public synchronized Invoke invoke(String process, String f, String key, Object value) {
        if (pending.containsKey(process)) {
            throw new IllegalStateException(process + " has an operation under way: " + pending.get(process));
        }
        Invoke invoke = new Invoke(process, f, key, JsonLines.value(value), now());
        pending.put(process, invoke);
        return append(invoke);
    }

    /** The operation happened; the client was told {@code value}. */
    public synchronized Ok ok(Invoke invoke, Object value) {
        complete(invoke);
        return append(invoke.ok(JsonLines.value(value), now()));
    }

    /** The operation definitely did not happen. */
    public synchronized Fail fail(Invoke invoke, String error) {
        complete(invoke);
        return append(invoke.fail(error, now()));
    }

    /** The outcome is unknown; {@code value} is what the client was told, if anything. */
    public synchronized Info info(Invoke invoke, Object value, String error) {
        complete(invoke);
        return append(invoke.info(JsonLines.value(value), error, now()));
    }

    /** The nemesis started a fault, e.g. {@code kill coordinator-1}. */
    public synchronized Nemesis faultStart(String fault) {
        return append(Nemesis.start(fault, now()));
    }

    /** The nemesis stopped a fault; name it as its start did. */
    public synchronized Nemesis faultStop(String fault) {
        return append(Nemesis.stop(fault, now()));
    }

    /** What was recorded so far. */
    public synchronized History history() {
        return new History(events);
    }

    /** Closes the file; recording after this is an {@link IllegalStateException}. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void complete(Invoke invoke) {
        if (pending.get(invoke.process()) != invoke) {
            throw new IllegalStateException("not under way, or completed already: " + invoke);
        }
        pending.remove(invoke.process());
    }

    private long now() {
        return nanoTime.getAsLong() - start;
    }

    private <E extends Event> E append(E event) {
        if (closed) {
            throw new IllegalStateException("the recorder is closed");
        }
        try {
            out.write(JsonLines.line(event));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the history", e);
        }
        events.add(event);
        return event;
    }
}
