package io.dtxlab.core.paxos;

import java.util.Objects;

/** A value at a log slot: proposed in an accept, or chosen. Slots start at 1. */
public record SlotValue(long slot, Value value) {

    public SlotValue {
        Objects.requireNonNull(value, "value");
        if (slot < 1) {
            throw new IllegalArgumentException("slots start at 1: " + slot);
        }
    }
}
