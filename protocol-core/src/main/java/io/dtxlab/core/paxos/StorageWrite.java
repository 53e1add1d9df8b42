package io.dtxlab.core.paxos;

import java.util.List;

/**
 * What one step changed in the durable state; see {@link PaxosStorage} for the order it must reach the disk in.
 *
 * @param promised the new promised ballot, or {@code null} when unchanged
 * @param accepted values accepted in this step (each replaces the slot's previous accepted value)
 * @param chosen values learned to be chosen in this step (never change once written)
 */
public record StorageWrite(Ballot promised, List<AcceptedValue> accepted, List<SlotValue> chosen) {

    public static final StorageWrite NONE = new StorageWrite(null, List.of(), List.of());

    public StorageWrite {
        accepted = List.copyOf(accepted);
        chosen = List.copyOf(chosen);
    }

    public boolean isEmpty() {
        return promised == null && accepted.isEmpty() && chosen.isEmpty();
    }
}
