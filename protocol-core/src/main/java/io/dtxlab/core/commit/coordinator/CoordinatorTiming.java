package io.dtxlab.core.commit.coordinator;

/**
 * The coordinator's timeouts, in milliseconds.
 *
 * @param voteTimeout how long phase 1 (prepare, can-commit), 3PC's pre-commit and NONE's apply wait for answers
 * @param resendInitial the first phase-2 resend delay; each next one doubles
 * @param resendMax the longest phase-2 resend delay
 * @param askAgain how long 3PC termination waits before asking the participants' states again
 * @param lockWait how long a saga's locking step answered busy is retried (other sagas' semantic locks hold what it
 *        needs) before it counts as failed
 */
public record CoordinatorTiming(long voteTimeout, long resendInitial, long resendMax, long askAgain, long lockWait) {

    /** The default wait for semantic locks, in milliseconds. */
    public static final long LOCK_WAIT = 5_000;
    public static final CoordinatorTiming DEFAULTS = new CoordinatorTiming(5_000, 100, 5_000, 2_000, LOCK_WAIT);

    public CoordinatorTiming {
        if (voteTimeout <= 0 || resendInitial <= 0 || resendMax < resendInitial || askAgain <= 0 || lockWait <= 0) {
            throw new IllegalArgumentException("timeouts must be positive and resendMax >= resendInitial");
        }
    }

    /** With the default {@link #LOCK_WAIT}. */
    public CoordinatorTiming(long voteTimeout, long resendInitial, long resendMax, long askAgain) {
        this(voteTimeout, resendInitial, resendMax, askAgain, LOCK_WAIT);
    }
}
