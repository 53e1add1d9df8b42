package io.dtxlab.core.commit.participant;

/**
 * One transition of a branch. The adapter performs {@link #effect()} and stores {@link #next()} in one local
 * transaction, and only then sends {@link #reply()}.
 *
 * @param effect what the resource must do
 * @param next the state to store; {@code null} means store nothing (the branch stays as it was, or unknown)
 * @param reply the answer to the coordinator
 * @param reason why, for a NO, a conflict or a stale message
 */
public record Step(Effect effect, BranchState next, Reply reply, String reason) {

    static Step of(Effect effect, BranchState next, Reply reply) {
        return new Step(effect, next, reply, null);
    }

    static Step answer(Reply reply, String reason) {
        return new Step(Effect.NONE, null, reply, reason);
    }

    public boolean changesState() {
        return next != null;
    }
}
