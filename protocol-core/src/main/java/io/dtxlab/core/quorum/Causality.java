package io.dtxlab.core.quorum;

/** How two vector clocks relate: one happened before the other, they are the same, or neither saw the other. */
public enum Causality {
    /** Both clocks are the same event history. */
    EQUAL,
    /** This clock is strictly older: the other one has seen everything this one has, and more. */
    BEFORE,
    /** This clock strictly descends the other: it has seen everything the other has, and more. */
    AFTER,
    /** Neither has seen all of the other: the two versions are siblings. */
    CONCURRENT
}
