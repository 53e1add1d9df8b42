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
    NONE("NONE"),
    /**
     * Try-Confirm-Cancel: 2PC's message flow (4n) over business-level reservations that other transactions see,
     * with Seata's and dtm's guarantees (idempotent confirm and cancel, empty cancel, no hanging try).
     */
    TCC("TCC"),
    /**
     * An orchestrated saga (Garcia-Molina and Salem, "Sagas", 1987): each step a local transaction committed at once,
     * in a declared order; when one fails, the compensations of the steps before it run in reverse. No isolation;
     * 2n messages failure-free.
     */
    SAGA("SAGA");

    private final String label;

    CommitProtocol(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * Whether every branch ends the same way, all done or all undone, and the coordinator logs its progress so that
     * a new leader finishes it: 2PC, 3PC and TCC by one decision, a saga by completing or compensating every step.
     * {@link #NONE} does not.
     */
    public boolean isAtomic() {
        return this != NONE;
    }

    /** Accepts {@code 2PC}, {@code 3PC}, {@code TCC}, {@code SAGA} or {@code NONE} (any case), or the enum name. */
    public static CommitProtocol parse(String text) {
        return Arrays.stream(values())
                .filter(p -> p.label.equalsIgnoreCase(text) || p.name().equalsIgnoreCase(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown protocol '" + text + "'; use 2PC, 3PC, TCC, SAGA or NONE"));
    }
}
