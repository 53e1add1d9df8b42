package io.dtxlab.chaos.check;

import io.dtxlab.chaos.history.Event;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Invoke;
import io.dtxlab.chaos.history.JsonLines;
import io.dtxlab.chaos.history.Nemesis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Builds a history from operations given as intervals, in any order: the events are sorted by time (stable, so an
 * invoke added before a completion at the same time stays first). Times are plain numbers of nanoseconds.
 */
final class Timeline {

    private final List<Event> events = new ArrayList<>();

    Timeline ok(String process, String f, String key, Object request, long invoked, Object response, long completed) {
        Invoke invoke = invoke(process, f, key, request, invoked);
        events.add(invoke.ok(JsonLines.value(response), completed));
        return this;
    }

    Timeline fail(String process, String f, String key, Object request, long invoked, long completed) {
        events.add(invoke(process, f, key, request, invoked).fail("refused", completed));
        return this;
    }

    Timeline info(String process, String f, String key, Object request, long invoked, Object response,
            long gaveUp) {
        events.add(invoke(process, f, key, request, invoked).info(JsonLines.value(response), "timeout", gaveUp));
        return this;
    }

    Timeline write(String process, String key, Object value, long invoked, long completed) {
        return ok(process, "write", key, value, invoked, null, completed);
    }

    Timeline read(String process, String key, Object value, long invoked, long completed) {
        return ok(process, "read", key, null, invoked, value, completed);
    }

    Timeline fault(String fault, long start, long stop) {
        events.add(Nemesis.start(fault, start));
        if (stop != Long.MAX_VALUE) {
            events.add(Nemesis.stop(fault, stop));
        }
        return this;
    }

    History history() {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::time));
        return new History(sorted);
    }

    private Invoke invoke(String process, String f, String key, Object request, long invoked) {
        Invoke invoke = new Invoke(process, f, key, JsonLines.value(request), invoked);
        events.add(invoke);
        return invoke;
    }
}
