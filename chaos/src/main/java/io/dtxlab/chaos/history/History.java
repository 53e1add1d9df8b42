package io.dtxlab.chaos.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A run's evidence, Jepsen's model: every client operation as an invoke followed by exactly one completion of the
 * same process, and the nemesis's faults, in the order they were recorded (times never go backwards).
 *
 * @param events the events, oldest first
 */
public record History(List<Event> events) {

    public History {
        events = List.copyOf(events);
        for (int i = 1; i < events.size(); i++) {
            if (events.get(i).time() < events.get(i - 1).time()) {
                throw new IllegalArgumentException("event " + i + " at " + events.get(i).time()
                        + " ns is older than the one before it (" + events.get(i - 1).time() + " ns)");
            }
        }
    }

    /** A history of these events, oldest first. */
    public static History of(Event... events) {
        return new History(List.of(events));
    }

    /**
     * The part of this history that concerns some clients: their events, and every nemesis event. Each workload's
     * checkers judge only its own clients' operations, which other workloads may name alike ({@code write}).
     */
    public History only(Predicate<String> processes) {
        return new History(events.stream()
                .filter(e -> !(e instanceof ClientEvent client) || processes.test(client.process()))
                .toList());
    }

    /**
     * Every client operation, its invoke paired with its process's next completion, in the order of the invokes. An
     * invoke the history never completes (the run ended first) gets an {@link Info} at the history's last time: its
     * outcome is unknown.
     *
     * @throws IllegalArgumentException naming the event when a process invokes again before its completion, when a
     *         completion has no invoke before it, or when it names another function or key than its invoke
     */
    public List<Operation> operations() {
        Map<String, Integer> pending = new HashMap<>();
        Map<Integer, Operation> byInvoke = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof Invoke invoke) {
                Integer open = pending.putIfAbsent(invoke.process(), i);
                if (open != null) {
                    throw new IllegalArgumentException("event " + i + ": " + invoke.process()
                            + " invoked again before event " + open + " completed");
                }
            } else if (events.get(i) instanceof Completion completion) {
                Integer open = pending.remove(completion.process());
                if (open == null) {
                    throw new IllegalArgumentException("event " + i + ": " + completion.process()
                            + " completed an operation it never invoked");
                }
                byInvoke.put(open, pair(open, completion, i));
            }
        }
        long end = events.isEmpty() ? 0 : events.get(events.size() - 1).time();
        pending.values().forEach(open -> {
            Invoke invoke = (Invoke) events.get(open);
            byInvoke.put(open, new Operation(open, invoke, invoke.info(null, "no completion in the history", end)));
        });
        return byInvoke.values().stream().sorted(Comparator.comparingInt(Operation::id)).toList();
    }

    private Operation pair(int open, Completion completion, int at) {
        try {
            return new Operation(open, (Invoke) events.get(open), completion);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event " + at + ": " + e.getMessage(), e);
        }
    }

    /** The operations that {@code which} keeps, grouped by key (keys in the order first invoked), each key's oldest first. */
    public Map<String, List<Operation>> operationsByKey(Predicate<Operation> which) {
        Map<String, List<Operation>> byKey = new LinkedHashMap<>();
        for (Operation op : operations()) {
            if (which.test(op)) {
                byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            }
        }
        return byKey;
    }

    /**
     * The faults' windows, in the order they started: each start paired with the oldest open start of the same fault
     * that a stop names; a fault still on at the end is open ({@link FaultWindow#open()}).
     *
     * @throws IllegalArgumentException when a stop names no fault that is on
     */
    public List<FaultWindow> faultWindows() {
        Map<String, Deque<Integer>> on = new HashMap<>();
        Map<Integer, FaultWindow> windows = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (!(events.get(i) instanceof Nemesis nemesis)) {
                continue;
            }
            Deque<Integer> starts = on.computeIfAbsent(nemesis.fault(), f -> new ArrayDeque<>());
            if (nemesis.phase() == Nemesis.Phase.START) {
                starts.addLast(i);
            } else {
                Integer start = starts.pollFirst();
                if (start == null) {
                    throw new IllegalArgumentException("event " + i + " stops '" + nemesis.fault()
                            + "', which is not on");
                }
                windows.put(start, new FaultWindow(nemesis.fault(), events.get(start).time(), nemesis.time()));
            }
        }
        on.values().forEach(starts -> starts.forEach(start -> windows.put(start,
                new FaultWindow(((Nemesis) events.get(start)).fault(), events.get(start).time(), Long.MAX_VALUE))));
        return windows.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }
}
