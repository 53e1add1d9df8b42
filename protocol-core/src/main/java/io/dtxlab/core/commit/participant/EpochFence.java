package io.dtxlab.core.commit.participant;

/**
 * Remembers the highest coordinator epoch (ballot) a participant has seen and refuses anything older, so a deposed
 * or partitioned coordinator can change nothing. The adapter persists {@link #highest()} whenever
 * {@link #admit(long)} raises it, before it answers.
 */
public final class EpochFence {

    private long highest;

    public EpochFence(long highest) {
        this.highest = highest;
    }

    public long highest() {
        return highest;
    }

    /** Whether a message with this epoch may act; an equal or newer epoch is admitted and becomes the highest. */
    public boolean admit(long epoch) {
        if (epoch < highest) {
            return false;
        }
        highest = epoch;
        return true;
    }
}
