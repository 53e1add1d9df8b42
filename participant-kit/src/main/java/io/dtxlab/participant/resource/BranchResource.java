package io.dtxlab.participant.resource;

/**
 * The one thing a participant service writes itself: what its branch does to its own data. Every method runs inside
 * the kit's local transaction, together with the branch record, so the effect and the new state commit together
 * or not at all. Each is called at most once per branch: the kit filters duplicates.
 *
 * @param <P> the branch payload the coordinator carries for this participant (e.g. sku and quantity)
 */
public interface BranchResource<P> {

    /** The payload's type, read from the JSON the coordinator sends. */
    Class<P> payloadType();

    /**
     * Prepare: do the tentative work and hold it (reserve stock, hold funds, create the order as PENDING), or
     * refuse with a reason (insufficient stock or funds, unknown SKU or customer). After a yes the branch must be
     * able to commit, even after a crash.
     */
    Verdict reserve(String xid, P payload);

    /** Commit: turn the reservation into the real effect. */
    void apply(String xid, P payload);

    /** Abort after a successful prepare: give the reservation back. */
    void release(String xid, P payload, String reason);

    /**
     * A saga's compensation: undo what {@link #reserve} and {@link #apply} did for this branch, as a new local
     * transaction (give the stock back, refund the charge, cancel the order). It must not refuse for a business
     * reason: a compensation that fails (an exception) is retried by the coordinator until it succeeds.
     *
     * @param reason why the saga went back (the failed step and its reason)
     */
    void compensate(String xid, P payload, String reason);

    /**
     * Abort with nothing held: before any prepare (an empty rollback; {@code payload} may be null), or a 3PC branch
     * that had only voted.
     */
    default void emptyRollback(String xid, P payload, String reason) {
    }

    /**
     * The invariants that tie this resource to its branches, checked by the audit: e.g. what is reserved equals
     * what the in-doubt branches hold, and what is sold equals what the committed branches took.
     *
     * @param branches every branch, in no particular order, read from the database as the stream is consumed: go
     *     through it once and keep what the rules need (sums per SKU, say), never the branches themselves. A benchmark
     *     leaves 100,000s of them, and a list of them all filled the order service's heap and took it down under
     *     load. Consuming it is optional.
     */
    default java.util.List<Invariant> invariants(java.util.stream.Stream<BranchRecord<P>> branches) {
        return java.util.List.of();
    }

    /**
     * The branches this participant expects and has not seen, read once at start ({@link ExpectedBranch}); the kit
     * keeps only those without a branch record. At run time the service adds one with
     * {@code BranchService.expect}. Default: none.
     */
    default java.util.List<ExpectedBranch<P>> expectedBranches() {
        return java.util.List.of();
    }

    /** Could the work be done now, without locking or reserving anything? (3PC's can-commit.) */
    default Verdict check(P payload) {
        return Verdict.yes();
    }
}
