package io.dtxlab.core.quorum;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sibling reconciliation: what a replica keeps of a key, and what a read answers. The rule is Dynamo's read
 * reconciliation (DeCandia et al., SOSP 2007, §4.4; docs/background.md, "The example, D1 to D4"), with dotted
 * version vectors: a version whose write another version has seen (its dot is in the other's
 * past) is dropped (D2 under D3 and D4); versions that have not seen each other are all kept, as siblings (D3 and
 * D4), until a client writes with a context that has seen them. Two writes on top of one read are siblings whichever
 * node coordinated them, because each got its own dot and neither's past holds the other's.
 */
public final class Siblings {

    /** Siblings in a stable order: by clock, then dot, then value, so every replica lists them alike. */
    public static final Comparator<Version> ORDER = Comparator.comparing((Version v) -> v.clock().encode())
            .thenComparing(Version::dot, Dot::compare).thenComparing(v -> v.past().encode())
            .thenComparing(Version::value);

    private Siblings() {
    }

    /**
     * The versions no other version covers, each write once, in {@link #ORDER}. Two versions with one dot are one
     * write; if they differ anyway (a node lost its files and reused a counter), the greater in {@link #ORDER} is
     * kept so every replica keeps the same one. Two versions that cover each other (only a forged context makes
     * that) are both kept: nothing is dropped that nothing has really seen.
     */
    public static List<Version> reconcile(Collection<Version> versions) {
        Map<Object, Version> byWrite = new LinkedHashMap<>();
        for (Version v : versions) {
            byWrite.merge(v.dot() != null ? v.dot() : v.past(), v, (a, b) -> ORDER.compare(a, b) >= 0 ? a : b);
        }
        List<Version> kept = new ArrayList<>();
        for (Version candidate : byWrite.values()) {
            boolean covered = false;
            for (Version other : byWrite.values()) {
                if (other != candidate && other.covers(candidate) && !candidate.covers(other)) {
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
     * siblings. The merge of two sets of versions is commutative, associative and idempotent.
     */
    public static Applied apply(Collection<Version> stored, Collection<Version> incoming) {
        List<Version> all = new ArrayList<>(stored);
        all.addAll(incoming);
        List<Version> after = reconcile(all);
        return new Applied(after, !after.equals(reconcile(stored)));
    }

    /**
     * The context a client writes with to supersede these siblings: the merge of their clocks. Read from a replica
     * that holds all the key's versions, it has seen every sibling, and every write of the key it claims is one of
     * them or one they cover: a write a node coordinated after the read has a dot above every counter in it. (As
     * with Riak's dotted version vectors, a read that missed a sibling yields a context that may cover it.)
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
                if (a.sameWrite(v)) {
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
