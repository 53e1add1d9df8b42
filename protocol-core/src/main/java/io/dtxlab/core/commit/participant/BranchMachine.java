package io.dtxlab.core.commit.participant;

/**
 * The 2PC participant as a transition function: the branch's current state (or {@code null} when the participant
 * has never heard of the transaction) and a coordinator message in, a {@link Step} out.
 * <p>
 * The rules that make phase 2 safe to repeat and reorder:
 * <ul>
 * <li>commit and abort are idempotent: a duplicate is acknowledged and changes nothing;</li>
 * <li>an abort before any prepare is recorded (an empty rollback), so a prepare that arrives late is refused
 * instead of leaving a reservation nobody will ever release: the hanging branch of TCC;</li>
 * <li>a branch that voted YES never decides alone: only COMMIT or ABORT from the coordinator ends it;</li>
 * <li>a contradiction (commit after abort, abort after commit) changes nothing and is reported, never applied.</li>
 * </ul>
 * When RESERVE is refused by the resource, the adapter asks {@link #refused(String)} for the NO step.
 */
public final class BranchMachine {

    private BranchMachine() {
    }

    public static Step step(BranchState current, BranchCommand command) {
        switch (command) {
            case PREPARE:
                return prepare(current);
            case COMMIT:
                return commit(current);
            case ABORT:
                return abort(current);
            default:
                throw new IllegalArgumentException("unknown command " + command);
        }
    }

    /** The resource could not reserve: the branch votes NO and is aborted at once (nothing was reserved). */
    public static Step refused(String reason) {
        return new Step(Effect.NONE, BranchState.ABORTED, Reply.VOTE_NO, reason);
    }

    /** The fence refused the message: it carries an epoch older than {@code highest}. */
    public static Step stale(long epoch, long highest) {
        return Step.answer(Reply.STALE, "epoch " + epoch + " is older than epoch " + highest
                + " already seen: the message comes from a deposed coordinator");
    }

    private static Step prepare(BranchState current) {
        if (current == null) {
            return Step.of(Effect.RESERVE, BranchState.PREPARED, Reply.VOTE_YES);
        }
        switch (current) {
            case PREPARED:
            case COMMITTED:
                return Step.answer(Reply.VOTE_YES, "duplicate prepare: already " + current);
            default:
                return Step.answer(Reply.VOTE_NO,
                        "the branch is already aborted (it voted no, or an abort came first): a late prepare is refused");
        }
    }

    private static Step commit(BranchState current) {
        if (current == null) {
            return Step.answer(Reply.CONFLICT, "commit for a branch that never prepared");
        }
        switch (current) {
            case PREPARED:
                return Step.of(Effect.APPLY, BranchState.COMMITTED, Reply.ACK);
            case COMMITTED:
                return Step.answer(Reply.ACK, "duplicate commit: already COMMITTED");
            default:
                return Step.answer(Reply.CONFLICT, "commit for a branch that is already ABORTED");
        }
    }

    private static Step abort(BranchState current) {
        if (current == null) {
            return Step.of(Effect.RECORD_EMPTY_ROLLBACK, BranchState.ABORTED, Reply.ACK);
        }
        switch (current) {
            case PREPARED:
                return Step.of(Effect.RELEASE, BranchState.ABORTED, Reply.ACK);
            case ABORTED:
                return Step.answer(Reply.ACK, "duplicate abort: already ABORTED");
            default:
                return Step.answer(Reply.CONFLICT, "abort for a branch that is already COMMITTED");
        }
    }
}
