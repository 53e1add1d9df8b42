package io.dtxlab.coordinator.consensus;

import io.dtxlab.core.paxos.SlotValue;
import java.util.List;

/**
 * The state machine the chosen log is applied to, kept durably by the application (the coordinator's transaction
 * table), so that the {@link PaxosDriver} can restart after its applied point and compact the log below it.
 * Registered with {@link PaxosDriver#replicate}. Every method is called on the driver's one apply thread, so the
 * state changes only there and a snapshot is consistent without locks.
 *
 * <p>Durability: {@link #apply} and {@link #install} commit one local transaction that holds the state AND the new
 * applied point, before they return; the log below that point may be deleted at once after. With H2 and
 * WRITE_DELAY=0 a commit survives a crash of the process, not a power loss.
 */
public interface ReplicatedState {

    /** The last slot the durable state includes; 0 when none. Read once, when the driver starts. */
    long appliedThrough();

    /**
     * Applies chosen values: in slot order, without gaps, starting right after the applied point, no-ops included
     * (they only move the applied point). Durable, with {@code appliedThrough = chosen.get(last).slot()}, in one local
     * transaction, before it returns. Must not throw for a value it cannot interpret (it would be offered again and
     * again): skip it and say so.
     */
    void apply(List<SlotValue> chosen);

    /** The state as of its applied point, for a follower behind the leader's compaction point. */
    Snapshot snapshot();

    /**
     * Replaces the whole state with {@code snapshot} and sets the applied point to {@link Snapshot#lastSlot()}, in one
     * local transaction, before it returns.
     *
     * @throws IllegalArgumentException if the snapshot cannot be read (nothing is changed then)
     */
    void install(Snapshot snapshot);

    /**
     * The applied state as of a slot.
     *
     * @param lastSlot every slot up to it is applied in {@code state}, none after
     * @param state the application's encoding (the coordinator: its transaction rows as a JSON array)
     */
    record Snapshot(long lastSlot, String state) {

        public Snapshot {
            if (lastSlot < 0 || state == null) {
                throw new IllegalArgumentException("a snapshot needs a slot (not negative) and a state");
            }
        }
    }
}
