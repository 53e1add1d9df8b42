package io.dtxlab.core.paxos;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safety properties of consensus, checked from the outside on every durable write and every applied value.
 *
 * <p>"Chosen" is judged from the acceptors' own writes, not from what the nodes claim: a value is chosen at a slot
 * when a majority of acceptors has accepted it in the same ballot. So a node that "learns" a value no majority
 * accepted is caught too.
 * <ul>
 * <li>at most one value is chosen per slot;</li>
 * <li>a chosen value never changes: a learner writes each slot once, always the value a majority accepted;</li>
 * <li>learners never disagree, and each applies the chosen values in slot order, without gaps;</li>
 * <li>one ballot proposes at most one value per slot.</li>
 * </ul>
 */
final class Invariants {

    private final int majority;
    /** slot -> ballot -> (value, acceptors that accepted it) */
    private final Map<Long, Map<Ballot, Acceptance>> acceptances = new HashMap<>();
    private final Map<Long, Value> chosen = new HashMap<>();
    private final Map<String, Map<Long, Value>> learned = new HashMap<>();
    private final Map<String, Long> nextToApply = new HashMap<>();

    private static final class Acceptance {
        final Value value;
        final Set<String> by = new HashSet<>();

        Acceptance(Value value) {
            this.value = value;
        }
    }

    Invariants(int majority) {
        this.majority = majority;
    }

    /** Wraps a node's storage so that every write is checked. */
    PaxosStorage storageOf(String node, PaxosStorage storage) {
        return new PaxosStorage() {
            @Override
            public Ballot promised() {
                return storage.promised();
            }

            @Override
            public Collection<AcceptedValue> accepted() {
                return storage.accepted();
            }

            @Override
            public Collection<SlotValue> chosen() {
                return storage.chosen();
            }

            @Override
            public long compactedThrough() {
                return storage.compactedThrough();
            }

            @Override
            public void write(StorageWrite write) {
                storage.write(write);
                write.accepted().forEach(a -> recordAccepted(node, a));
                write.chosen().forEach(c -> recordLearned(node, c));
            }
        };
    }

    private void recordAccepted(String node, AcceptedValue a) {
        Acceptance acceptance = acceptances.computeIfAbsent(a.slot(), s -> new HashMap<>())
                .computeIfAbsent(a.ballot(), b -> new Acceptance(a.value()));
        if (!acceptance.value.equals(a.value())) {
            throw new AssertionError("ballot " + a.ballot() + " proposed two values for slot " + a.slot() + ": '"
                    + acceptance.value + "' and '" + a.value() + "'");
        }
        if (acceptance.by.add(node) && acceptance.by.size() == majority) {
            Value before = chosen.putIfAbsent(a.slot(), a.value());
            if (before != null && !before.equals(a.value())) {
                throw new AssertionError("two values chosen for slot " + a.slot() + ": '" + before + "' and '"
                        + a.value() + "' (the second by " + acceptance.by + " in ballot " + a.ballot() + ")");
            }
        }
    }

    private void recordLearned(String node, SlotValue c) {
        Value truth = chosen.get(c.slot());
        if (truth == null) {
            throw new AssertionError(node + " learned '" + c.value() + "' at slot " + c.slot()
                    + " but no majority accepted any value there");
        }
        if (!truth.equals(c.value())) {
            throw new AssertionError(node + " learned '" + c.value() + "' at slot " + c.slot() + " but '" + truth
                    + "' was chosen there");
        }
        Value before = learned.computeIfAbsent(node, n -> new HashMap<>()).put(c.slot(), c.value());
        if (before != null && !before.equals(c.value())) {
            throw new AssertionError(node + " changed its chosen value at slot " + c.slot() + " from '" + before
                    + "' to '" + c.value() + "'");
        }
    }

    /** A restarted node's application kept its state through {@code appliedThrough}; the log goes on from there. */
    void restarted(String node, long appliedThrough) {
        nextToApply.put(node, appliedThrough + 1);
    }

    /**
     * A node's application replaced its state with a snapshot of another's: every value in it must be the one
     * chosen at its slot, and applying goes on after it.
     */
    void installed(String node, List<Value> snapshot) {
        for (int i = 0; i < snapshot.size(); i++) {
            Value truth = chosen.get(i + 1L);
            if (truth == null || !truth.equals(snapshot.get(i))) {
                throw new AssertionError(node + " installed a snapshot with '" + snapshot.get(i) + "' at slot "
                        + (i + 1) + " but '" + truth + "' was chosen there");
            }
        }
        long next = nextToApply.getOrDefault(node, 1L);
        if (snapshot.size() + 1L <= next) {
            throw new AssertionError(node + " installed a snapshot through slot " + snapshot.size()
                    + " that is not ahead of its state (next slot " + next + ")");
        }
        nextToApply.put(node, snapshot.size() + 1L);
    }

    /** Every node's applied state holds the chosen value at each of its slots. */
    void sameState(String node, List<Value> state) {
        for (int i = 0; i < state.size(); i++) {
            if (!state.get(i).equals(chosen.get(i + 1L))) {
                throw new AssertionError(node + "'s applied state holds '" + state.get(i) + "' at slot " + (i + 1)
                        + " but '" + chosen.get(i + 1L) + "' was chosen there");
            }
        }
    }

    void applied(String node, List<SlotValue> values) {
        for (SlotValue v : values) {
            long expected = nextToApply.getOrDefault(node, 1L);
            if (v.slot() != expected) {
                throw new AssertionError(node + " applied slot " + v.slot() + " when slot " + expected + " was next");
            }
            Value truth = chosen.get(v.slot());
            if (truth == null || !truth.equals(v.value())) {
                throw new AssertionError(node + " applied '" + v.value() + "' at slot " + v.slot() + " but '" + truth
                        + "' was chosen there");
            }
            nextToApply.put(node, expected + 1);
        }
    }
}
