package io.dtxlab.core.commit.participant;

/** Where one participant's branch of a global transaction stands. A branch with no record yet has no state. */
public enum BranchState {
    /** 3PC: answered YES to can-commit; holds nothing yet. Without a pre-commit in time it aborts alone. */
    VOTED,
    /** 2PC: voted YES and holds its reservation: in doubt until the decision arrives; it may not decide alone. */
    PREPARED,
    /** 3PC: pre-committed and holds its reservation. Without the decision in time it commits alone. */
    PRE_COMMITTED,
    /** The decision was COMMIT and the reservation became the real effect. */
    COMMITTED,
    /** Voted NO, or the decision was ABORT (the reservation was released), or an abort came before any prepare. */
    ABORTED,
    /**
     * A saga's step undone by its compensation, or a compensation that came before the step (an empty compensation):
     * the step, if it comes late, is refused.
     */
    COMPENSATED;

    public boolean isFinal() {
        return this == COMMITTED || this == ABORTED || this == COMPENSATED;
    }

    /** Whether the branch holds a reservation that other transactions must do without. */
    public boolean holdsReservation() {
        return this == PREPARED || this == PRE_COMMITTED;
    }
}
