package io.dtxlab.core.paxos;

import java.util.List;

/**
 * What one step changed in the durable state; see {@link PaxosStorage} for the order it must reach the disk in.
 *
 * @param promised the new promised ballot, or {@code null} when unchanged
 * @param accepted values accepted in this step (each replaces the slot's previous accepted value)
 * @param chosen values learned to be chosen in this step (never change once written)
 * @param compactedThrough when positive: the new compaction point; every accepted and chosen value at a slot up to it
 *        is deleted (after this write's own values are stored) and the point is stored; 0 when unchanged
 */
public record StorageWrite(Ballot promised, List<AcceptedValue> accepted, List<SlotValue> chosen,
        long compactedThrough) {

    public static final StorageWrite NONE = new StorageWrite(null, List.of(), List.of(), 0);

    public StorageWrite {
        accepted = List.copyOf(accepted);
        chosen = List.copyOf(chosen);
        if (compactedThrough < 0) {
            throw new IllegalArgumentException("compactedThrough must not be negative: " + compactedThrough);
        }
    }

    /** A write that compacts nothing. */
    public StorageWrite(Ballot promised, List<AcceptedValue> accepted, List<SlotValue> chosen) {
        this(promised, accepted, chosen, 0);
    }

    public boolean isEmpty() {
        return promised == null && accepted.isEmpty() && chosen.isEmpty() && compactedThrough == 0;
    }
}
