package io.dtxlab.core.quorum;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sibling reconciliation: what a replica keeps of a key, and what a read answers. The rule is the design notes'
 * step 6: a version that another version covers is dropped (D2 under D3 and D4); versions that are concurrent are
 * all kept, as siblings (D3 and D4), until a client writes with a context that covers them.
 */
public final class Siblings {

    /** Siblings in a stable order: by clock, then value, so every replica lists them alike. */
    public static final Comparator<Version> ORDER =
            Comparator.comparing((Version v) -> v.clock().encode()).thenComparing(Version::value);

    private Siblings() {
    }

    /**
     * The versions nothing else covers, each once, in {@link #ORDER}. Two versions with one clock are one write; if
     * their values differ anyway (a node lost its files and reused a counter), the greater value is kept so every
     * replica keeps the same one.
     */
    public static List<Version> reconcile(Collection<Version> versions) {
        Map<VectorClock, Version> byClock = new LinkedHashMap<>();
        for (Version v : versions) {
            byClock.merge(v.clock(), v, (a, b) -> a.value().compareTo(b.value()) >= 0 ? a : b);
        }
        List<Version> kept = new ArrayList<>();
        for (Version candidate : byClock.values()) {
            boolean covered = false;
            for (Version other : byClock.values()) {
                if (other != candidate && other.clock().compare(candidate.clock()) == Causality.AFTER) {
                    covered = true;
                    break;
                }
            }
            if (!covered) {
                kept.add(candidate);
            }
        }
        kept.sort(ORDER);
        return List.copyOf(kept);
    }

    /**
     * What a replica holds after it receives {@code incoming}: the incoming versions supersede every stored
     * version they cover, are dropped if a stored version covers them, and otherwise join the stored ones as
     * siblings.
     */
    public static Applied apply(Collection<Version> stored, Collection<Version> incoming) {
        List<Version> all = new ArrayList<>(stored);
        all.addAll(incoming);
        List<Version> after = reconcile(all);
        return new Applied(after, !after.equals(reconcile(stored)));
    }

    /**
     * The context a client writes with to resolve these siblings: the merge of their clocks, which covers them all.
     */
    public static VectorClock context(Collection<Version> versions) {
        VectorClock merged = VectorClock.empty();
        for (Version v : versions) {
            merged = merged.merge(v.clock());
        }
        return merged;
    }

    /**
     * The versions of {@code newest} that a replica which answered {@code answered} lacks: what read repair sends
     * it. Empty when the replica is up to date.
     */
    public static List<Version> missing(Collection<Version> newest, Collection<Version> answered) {
        List<Version> missing = new ArrayList<>();
        for (Version v : newest) {
            boolean has = false;
            for (Version a : answered) {
                if (a.clock().equals(v.clock())) {
                    has = true;
                    break;
                }
            }
            if (!has) {
                missing.add(v);
            }
        }
        return missing;
    }

    /**
     * A replica's versions of a key after a write or repair reached it.
     *
     * @param versions what it holds now, reconciled
     * @param changed whether that differs from what it held before (false: the write was already there or older)
     */
    public record Applied(List<Version> versions, boolean changed) {
    }
}
