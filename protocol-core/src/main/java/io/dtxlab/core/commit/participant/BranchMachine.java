package io.dtxlab.core.commit.participant;

import java.util.Optional;

/**
 * A participant branch as a transition function: the branch's current state (or {@code null} when the participant
 * has never heard of the transaction) and a coordinator message in, a {@link Step} out.
 * <p>
 * The rules that make phase 2 safe to repeat and reorder:
 * <ul>
 * <li>commit and abort are idempotent: a duplicate is acknowledged and changes nothing;</li>
 * <li>an abort before any prepare is recorded (an empty rollback), so a prepare that arrives late is refused
 * instead of leaving a reservation nobody will ever release: the hanging branch of TCC;</li>
 * <li>a 2PC branch that voted YES never decides alone: only COMMIT or ABORT from the coordinator ends it;</li>
 * <li>a 3PC branch decides alone on a timeout ({@link #onTimeout}): abort while it only voted, commit once it
 * pre-committed;</li>
 * <li>a contradiction (commit after abort, abort after commit) changes nothing and is reported, never applied;</li>
 * <li>NONE's apply is one phase without a vote: the branch reserves and applies at once and is COMMITTED, or the
 * resource refuses and it is ABORTED; a duplicate gets the same answer, and nothing is ever undone.</li>
 * <li>TCC's try, confirm and cancel are prepare, commit and abort under their own names, with the same guarantees:
 * confirm and cancel are idempotent, a cancel before any try is an empty cancel, and the late try is refused (no
 * hanging try).</li>
 * <li>A saga's step is an apply; its compensation undoes it (COMPENSATED) and is idempotent. A compensation that
 * comes before its step is recorded (an empty compensation), and the late step is refused. A saga step that takes a
 * semantic lock runs as TCC does: TRY holds the effect as a reservation that other transactions see as pending,
 * CONFIRM makes it final once the saga completes, CANCEL gives it back when the saga goes back.</li>
 * </ul>
 * When CHECK, RESERVE or RESERVE_AND_APPLY is refused by the resource, the adapter asks {@link #refused(String)} for
 * the NO step; when a saga's locking step (TRY) finds what it needs held by unfinished transactions, it asks
 * {@link #busy(String)}.
 */
public final class BranchMachine {

    private BranchMachine() {
    }

    public static Step step(BranchState current, BranchCommand command) {
        switch (command) {
            case PREPARE:
                return prepare(current);
            case CAN_COMMIT:
                return canCommit(current);
            case PRE_COMMIT:
                return preCommit(current);
            case COMMIT:
                return commit(current);
            case ABORT:
                return abort(current);
            case APPLY:
                return apply(current);
            case TRY:
                return tryReserve(current);
            case CONFIRM:
                return commit(current);
            case CANCEL:
                return abort(current);
            case COMPENSATE:
                return compensate(current);
            default:
                throw new IllegalArgumentException("unknown command " + command);
        }
    }

    /**
     * The participant heard nothing in time. 3PC decides alone: a branch that only voted aborts (nothing was
     * locked, and the coordinator cannot have decided COMMIT without its pre-commit ack), a pre-committed branch
     * commits (every participant voted YES). A 2PC branch may not decide alone: empty, it stays in doubt.
     */
    public static Optional<Step> onTimeout(BranchState current) {
        if (current == BranchState.VOTED) {
            return Optional.of(new Step(Effect.RECORD, BranchState.ABORTED, Reply.ACK,
                    "no pre-commit in time: aborted by timeout (3PC)"));
        }
        if (current == BranchState.PRE_COMMITTED) {
            return Optional.of(new Step(Effect.APPLY, BranchState.COMMITTED, Reply.ACK,
                    "no decision in time after pre-commit: committed by timeout (3PC)"));
        }
        return Optional.empty();
    }

    /**
     * The resource could not check, reserve, or reserve and apply: the branch votes NO (for NONE's apply: refuses)
     * and is aborted at once (nothing is held).
     */
    public static Step refused(String reason) {
        return new Step(Effect.NONE, BranchState.ABORTED, Reply.VOTE_NO, reason);
    }

    /**
     * A saga's locking step (TRY) that the resource cannot grant now only because unfinished transactions hold what
     * it needs: the branch answers {@link Reply#BUSY} and stores nothing, so the coordinator's retry is a first try
     * again, and a cancel before it is an empty cancel.
     */
    public static Step busy(String reason) {
        return Step.answer(Reply.BUSY, reason);
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
            case ABORTED:
                return Step.answer(Reply.VOTE_NO,
                        "the branch is already aborted (it voted no, or an abort came first): a late prepare is refused");
            default:
                return Step.answer(Reply.CONFLICT, "a 2PC prepare for a 3PC branch in " + current);
        }
    }

    private static Step canCommit(BranchState current) {
        if (current == null) {
            return Step.of(Effect.CHECK, BranchState.VOTED, Reply.VOTE_YES);
        }
        switch (current) {
            case VOTED:
            case PRE_COMMITTED:
            case COMMITTED:
                return Step.answer(Reply.VOTE_YES, "duplicate can-commit: already " + current);
            case ABORTED:
                return Step.answer(Reply.VOTE_NO, "the branch is already aborted: a late can-commit is refused");
            default:
                return Step.answer(Reply.CONFLICT, "a 3PC can-commit for a 2PC branch in " + current);
        }
    }

    private static Step preCommit(BranchState current) {
        if (current == null) {
            return Step.answer(Reply.CONFLICT, "pre-commit for a branch that never answered can-commit");
        }
        switch (current) {
            case VOTED:
                return Step.of(Effect.RESERVE, BranchState.PRE_COMMITTED, Reply.ACK);
            case PRE_COMMITTED:
            case COMMITTED:
                return Step.answer(Reply.ACK, "duplicate pre-commit: already " + current);
            case ABORTED:
                return Step.answer(Reply.VOTE_NO, "the branch is already aborted (no pre-commit came in time)");
            default:
                return Step.answer(Reply.CONFLICT, "a 3PC pre-commit for a 2PC branch in " + current);
        }
    }

    private static Step commit(BranchState current) {
        if (current == null) {
            return Step.answer(Reply.CONFLICT, "commit for a branch that never prepared");
        }
        switch (current) {
            case PREPARED:
            case PRE_COMMITTED:
                return Step.of(Effect.APPLY, BranchState.COMMITTED, Reply.ACK);
            case COMMITTED:
                return Step.answer(Reply.ACK, "duplicate commit: already COMMITTED");
            case VOTED:
                return Step.answer(Reply.CONFLICT, "do-commit for a branch that was never pre-committed");
            default:
                return Step.answer(Reply.CONFLICT, "commit for a branch that is already " + current);
        }
    }

    private static Step abort(BranchState current) {
        if (current == null) {
            return Step.of(Effect.RECORD_EMPTY_ROLLBACK, BranchState.ABORTED, Reply.ACK);
        }
        switch (current) {
            case PREPARED:
            case PRE_COMMITTED:
                return Step.of(Effect.RELEASE, BranchState.ABORTED, Reply.ACK);
            case VOTED:
                return Step.of(Effect.RECORD, BranchState.ABORTED, Reply.ACK);
            case ABORTED:
                return Step.answer(Reply.ACK, "duplicate abort: already ABORTED");
            default:
                return Step.answer(Reply.CONFLICT, "abort for a branch that is already " + current);
        }
    }

    /** NONE: no vote and no second phase. The branch is done (COMMITTED) or refused (ABORTED) in one step. */
    private static Step apply(BranchState current) {
        if (current == null) {
            return Step.of(Effect.RESERVE_AND_APPLY, BranchState.COMMITTED, Reply.ACK);
        }
        switch (current) {
            case COMMITTED:
                return Step.answer(Reply.ACK, "duplicate apply: already COMMITTED");
            case ABORTED:
                return Step.answer(Reply.VOTE_NO, "refused before: the branch is ABORTED");
            case COMPENSATED:
                return Step.answer(Reply.VOTE_NO,
                        "the step is already compensated (its compensation came first): a late step is refused");
            default:
                return Step.answer(Reply.CONFLICT, "apply (no atomic commitment) for a 2PC/3PC branch in " + current);
        }
    }

    /** TCC's try: 2PC's prepare, under TCC's names in what a refusal says. */
    private static Step tryReserve(BranchState current) {
        if (current == BranchState.ABORTED) {
            return Step.answer(Reply.VOTE_NO,
                    "the branch is already cancelled (its try failed, or a cancel came first): a late try is refused");
        }
        if (current == BranchState.PREPARED || current == BranchState.COMMITTED) {
            return Step.answer(Reply.VOTE_YES, "duplicate try: already " + current);
        }
        return current == null ? Step.of(Effect.RESERVE, BranchState.PREPARED, Reply.VOTE_YES)
                : Step.answer(Reply.CONFLICT, "a TCC try for a branch in " + current);
    }

    /**
     * A saga's compensation (Garcia-Molina and Salem, 1987): undo an applied step; remember one that never came, so
     * that it is refused if it comes late; nothing to undo for a step that was refused.
     */
    private static Step compensate(BranchState current) {
        if (current == null) {
            return Step.of(Effect.RECORD_EMPTY_COMPENSATION, BranchState.COMPENSATED, Reply.ACK);
        }
        switch (current) {
            case COMMITTED:
                return Step.of(Effect.COMPENSATE, BranchState.COMPENSATED, Reply.ACK);
            case COMPENSATED:
                return Step.answer(Reply.ACK, "duplicate compensation: already COMPENSATED");
            case ABORTED:
                return Step.answer(Reply.ACK, "the step was refused: nothing to compensate");
            default:
                return Step.answer(Reply.CONFLICT, "a saga compensation for a 2PC/3PC/TCC branch in " + current);
        }
    }
}
