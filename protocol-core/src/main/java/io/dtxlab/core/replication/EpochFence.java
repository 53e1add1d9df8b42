package io.dtxlab.core.replication;

/**
 * Fencing: a replica refuses what a master of an older epoch sends. An entry of an older epoch is still taken when
 * the history says that epoch owns its index (a slave that missed part of the old master's log may fill it in); one
 * the history does not own was written by a deposed master after the fork and is refused.
 */
public final class EpochFence {

    /** What a replica does with an incoming message or entry. */
    public enum Verdict {
        /** From the current master, or an entry the history owns. */
        ACCEPT,
        /** From a deposed master: refuse it. */
        STALE,
        /** From a newer epoch this replica has not heard of: learn it first. */
        NEWER_EPOCH
    }

    private EpochFence() {
    }

    /** A message (heartbeat, replicate, proposal) that carries the sender's epoch. */
    public static Verdict check(long myEpoch, long messageEpoch) {
        if (messageEpoch < myEpoch) {
            return Verdict.STALE;
        }
        return messageEpoch > myEpoch ? Verdict.NEWER_EPOCH : Verdict.ACCEPT;
    }

    /** A log entry, whichever path brought it (REST, catch-up, Kafka). */
    public static Verdict check(EpochHistory history, LogEntry entry) {
        long myEpoch = history.current().epoch();
        if (entry.epoch() > myEpoch) {
            return Verdict.NEWER_EPOCH;
        }
        return history.owns(entry) ? Verdict.ACCEPT : Verdict.STALE;
    }
}
