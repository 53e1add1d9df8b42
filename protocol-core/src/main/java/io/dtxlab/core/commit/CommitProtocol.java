package io.dtxlab.core.commit;

import java.util.Arrays;

/**
 * The commitment protocols the lab runs; {@link #label()} is how users write them ({@code "2PC"}). {@link #NONE} is
 * the baseline without atomic commitment: each participant applies its part at once, in one local transaction, and
 * nobody undoes anything when another part fails.
 */
public enum CommitProtocol {
    TWO_PHASE("2PC"),
    THREE_PHASE("3PC"),
    /** No atomic commitment: one apply message per participant (2n messages), no log, no decision to agree on. */
    NONE("NONE");

    private final String label;

    CommitProtocol(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether the protocol agrees on one decision for every branch (2PC, 3PC); {@link #NONE} does not. */
    public boolean isAtomic() {
        return this != NONE;
    }

    /** Accepts {@code 2PC}/{@code 3PC}/{@code NONE} (any case) or the enum name. */
    public static CommitProtocol parse(String text) {
        return Arrays.stream(values())
                .filter(p -> p.label.equalsIgnoreCase(text) || p.name().equalsIgnoreCase(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown protocol '" + text + "'; use 2PC, 3PC or NONE"));
    }
}
