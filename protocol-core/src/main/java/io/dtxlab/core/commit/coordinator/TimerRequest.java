package io.dtxlab.core.commit.coordinator;

/**
 * A timer the edge must set: after {@code afterMillis}, feed back {@link CoordinatorInput.TimerFired} with the same
 * kind and participant. Timers are never cancelled: one that fires when it no longer matters is ignored.
 */
public record TimerRequest(Kind kind, String participant, long afterMillis) {

    public enum Kind {
        /** The end of phase 1 (prepare or can-commit): missing votes count as NO. */
        VOTES,
        /** 3PC: the end of pre-commit: a missing acknowledgement aborts. */
        PRE_COMMIT_ACKS,
        /** NONE: the end of apply: a missing answer leaves that part unknown. */
        APPLIES,
        /**
         * Phase 2: resend the decision to {@code participant}, which has not acknowledged it; a saga: the compensation,
         * the confirmation of a locking step, or a locking step answered busy.
         */
        RESEND,
        /** A saga: the end of the wait for {@code participant}'s step: a missing answer counts as a failed step. */
        STEP,
        /** A saga: the end of the wait for the semantic locks that keep {@code participant}'s step busy: it fails. */
        LOCK_WAIT,
        /** 3PC termination: nobody answered the state request; ask again. */
        ASK_AGAIN
    }
}
