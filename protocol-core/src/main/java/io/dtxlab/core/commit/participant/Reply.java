package io.dtxlab.core.commit.participant;

/** What the branch answers the coordinator. */
public enum Reply {
    VOTE_YES,
    /** A NO vote; to NONE's apply: the resource refused, nothing was done. */
    VOTE_NO,
    /** Commit or abort is done (now, or already before: phase 2 is idempotent); to NONE's apply: applied. */
    ACK,
    /** The message contradicts what the branch already did (commit after abort, or the reverse). */
    CONFLICT,
    /** The message carries an older epoch than one this participant has seen: it comes from a deposed coordinator. */
    STALE,
    /**
     * A saga's locking step (TRY) cannot be done now only because other transactions that have not finished hold
     * what it needs under their semantic locks (Richardson, "Microservices Patterns", 2018, ch. 4): retry later.
     * Nothing was done or stored; another saga's outcome decides whether the retry is granted or refused.
     */
    BUSY
}
