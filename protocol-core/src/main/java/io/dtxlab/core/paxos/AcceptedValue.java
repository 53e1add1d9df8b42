package io.dtxlab.core.paxos;

import java.util.Objects;

/** What an acceptor accepted at a slot, and in which ballot: the state a promise reports to a new leader. */
public record AcceptedValue(long slot, Ballot ballot, Value value) {

    public AcceptedValue {
        Objects.requireNonNull(ballot, "ballot");
        Objects.requireNonNull(value, "value");
        if (slot < 1) {
            throw new IllegalArgumentException("slots start at 1: " + slot);
        }
    }
}
