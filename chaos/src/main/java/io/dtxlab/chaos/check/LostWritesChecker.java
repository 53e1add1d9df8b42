package io.dtxlab.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Asynchronous replication may lose acknowledged writes in a failover, but never silently: the writes lost must be
 * exactly the service's lost-writes ledger (the replica service's design note, "Failover"). A write is identified by
 * its place in the log, (epoch, index), from its receipt; it survived when the new master's log holds that entry,
 * not undone, and it was lost otherwise.
 * <p>
 * Operations: {@code write} (invoke value: the value) and {@code delete} (no value) on a key; an {@code ok}'s value is
 * the service's receipt, with {@code index} and {@code epoch}. Values must be unique per key: a ledger entry or a log
 * entry is matched to a write whose outcome is unknown, or that failed, by its key and value.
 * <p>
 * Violations: an acknowledged write lost but not in the ledger; a ledger entry for a write that survived, or that no
 * client invoked; a surviving entry whose key or value differs from its receipt; a write that failed yet is in the
 * log. A ledger entry for a write whose client never heard back is a note: the master acknowledged what its client
 * did not learn. An unreconciled failover leaves the verdict UNKNOWN at best.
 */
public final class LostWritesChecker implements Checker {

    /** The checker's name, on its verdicts. */
    public static final String NAME = "lost-writes";

    /**
     * Violation: an acknowledged write is not in the surviving log and not in the ledger, lost silently; key the
     * write's key, one finding and one operation per write.
     */
    public static final String UNLEDGERED = "every lost write is in the ledger";

    private static final Set<String> FUNCTIONS = Set.of("write", "delete");

    private final ReplicationSnapshot snapshot;

    public LostWritesChecker(ReplicationSnapshot snapshot) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** A log position. */
    private record Place(long epoch, long index) {
        @Override
        public String toString() {
            return "epoch " + epoch + " index " + index;
        }
    }

    /** A write's effect, to match entries to operations whose receipt the client never got. */
    private record Effect(String key, String value) {
    }

    @Override
    public Verdict check(History history) {
        List<Operation> writes = history.operations().stream().filter(op -> FUNCTIONS.contains(op.f())).toList();
        Map<Place, ReplicationSnapshot.LogEntry> survived = new HashMap<>();
        Map<Effect, ReplicationSnapshot.LogEntry> survivedEffects = new HashMap<>();
        for (ReplicationSnapshot.LogEntry e : snapshot.survivingLog()) {
            if (!e.undone()) {
                survived.put(new Place(e.epoch(), e.index()), e);
                survivedEffects.put(new Effect(e.key(), e.value()), e);
            }
        }
        Map<Place, ReplicationSnapshot.LostWrite> ledger = new LinkedHashMap<>();
        snapshot.ledger().forEach(l -> ledger.put(new Place(l.epoch(), l.index()), l));
        Map<Effect, Operation> unacknowledged = new HashMap<>();
        List<Finding> violations = new ArrayList<>();
        List<Finding> notes = new ArrayList<>();
        Map<Place, Operation> acknowledged = new HashMap<>();
        int lost = 0;
        for (Operation w : writes) {
            if (!w.ok()) {
                unacknowledged.put(effect(w), w);
                if (w.failed() && survivedEffects.containsKey(effect(w))) {
                    ReplicationSnapshot.LogEntry e = survivedEffects.get(effect(w));
                    violations.add(new Finding("a failed write never happened", w.key(), "the client was told the "
                            + "write failed, yet the log holds it at " + new Place(e.epoch(), e.index()), List.of(w)));
                }
                continue;
            }
            Place place = place(w);
            acknowledged.put(place, w);
            ReplicationSnapshot.LogEntry entry = survived.get(place);
            if (entry != null) {
                if (!Objects.equals(entry.key(), w.key()) || !Objects.equals(entry.value(), effect(w).value())) {
                    violations.add(new Finding("the log holds what was acknowledged", w.key(), "the receipt names "
                            + place + ", where the log holds " + entry.op() + " " + entry.key() + " = "
                            + entry.value(), List.of(w)));
                }
                continue;
            }
            lost++;
            if (!ledger.containsKey(place)) {
                violations.add(new Finding(UNLEDGERED, w.key(), "acknowledged at " + place
                        + ", not in the surviving log, and not in the ledger: lost silently", List.of(w)));
            }
        }
        int unknownLost = 0;
        for (Map.Entry<Place, ReplicationSnapshot.LostWrite> e : ledger.entrySet()) {
            ReplicationSnapshot.LostWrite l = e.getValue();
            Operation w = acknowledged.get(e.getKey());
            Operation candidate = unacknowledged.get(new Effect(l.key(), l.value()));
            if (survived.containsKey(e.getKey())) {
                violations.add(new Finding("the ledger lists only lost writes", l.key(), "the ledger lists "
                        + e.getKey() + ", which the surviving log still holds", w == null ? List.of() : List.of(w)));
            } else if (w == null && candidate != null && candidate.unknown()) {
                unknownLost++;
            } else if (w == null) {
                violations.add(new Finding("the ledger lists only lost writes", l.key(), "the ledger lists "
                        + l.op() + " " + l.key() + " = " + l.value() + " at " + e.getKey() + ", which no client "
                        + "was told succeeded nor left unknown", candidate == null ? List.of() : List.of(candidate)));
            }
        }
        notes.add(new Finding("lost writes", null, lost + " acknowledged write" + (lost == 1 ? "" : "s")
                + " lost in failovers, " + snapshot.ledger().size() + " in the ledger"));
        if (unknownLost > 0) {
            notes.add(new Finding("lost writes", null, unknownLost + " write" + (unknownLost == 1 ? "" : "s")
                    + " of unknown outcome (the client never heard back) in the ledger: the master acknowledged "
                    + "them, then a failover lost them"));
        }
        snapshot.unreconciled().forEach(u -> notes.add(new Finding("unreconciled failover", null, u
                + ": the ledger cannot be complete until the deposed master rejoins")));
        return Verdict.of(name(), violations, notes, snapshot.unreconciled().isEmpty());
    }

    private static Place place(Operation w) {
        JsonNode receipt = w.response();
        if (!receipt.path("index").isIntegralNumber() || !receipt.path("epoch").isIntegralNumber()) {
            throw new IllegalArgumentException("an acknowledged write's value is its receipt, with index and epoch: "
                    + w.describe());
        }
        return new Place(receipt.path("epoch").asLong(), receipt.path("index").asLong());
    }

    private static Effect effect(Operation w) {
        return new Effect(w.key(), w.f().equals("delete") || w.request().isNull() ? null : w.request().asText());
    }
}
