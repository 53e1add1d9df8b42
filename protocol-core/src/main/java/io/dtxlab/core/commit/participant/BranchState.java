package io.dtxlab.core.commit.participant;

/** Where one participant's branch of a global transaction stands. A branch with no record yet has no state. */
public enum BranchState {
    /** Voted YES and holds its reservation: in doubt until the decision arrives; it may not decide alone. */
    PREPARED,
    /** The decision was COMMIT and the reservation became the real effect. */
    COMMITTED,
    /** Voted NO, or the decision was ABORT (the reservation was released), or an abort came before any prepare. */
    ABORTED;

    public boolean isFinal() {
        return this != PREPARED;
    }
}
