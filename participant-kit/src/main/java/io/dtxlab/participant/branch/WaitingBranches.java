package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The branches that wait for a coordinator, kept in memory beside the table: 2PC branches in doubt (PREPARED, since
 * they prepared) and 3PC branches waiting for their next message (VOTED or PRE_COMMITTED, since they last changed).
 * Filled from the table once before the node serves requests, then told of every committed state change. It lets
 * the recovery timers skip their queries when nothing waits long enough (at rest, always), and answers the in-doubt
 * gauge without a query. The table stays the truth: a timer that finds something due still reads it there.
 */
final class WaitingBranches {

    private final Map<String, Instant> prepared = new ConcurrentHashMap<>();
    private final Map<String, Instant> threePhase = new ConcurrentHashMap<>();
    private volatile Runnable onWaiting = () -> {};

    /** Called, after the branch is tracked, each time a branch starts to wait (the recovery timers start then). */
    void onWaiting(Runnable listener) {
        this.onWaiting = listener;
    }

    /** Records {@code xid}'s committed state; {@code preparedAt} and {@code updatedAt} as stored with it. */
    void track(String xid, BranchState state, Instant preparedAt, Instant updatedAt) {
        if (state == BranchState.PREPARED) {
            threePhase.remove(xid);
            prepared.put(xid, preparedAt != null ? preparedAt : updatedAt);
            onWaiting.run();
        } else if (state == BranchState.VOTED || state == BranchState.PRE_COMMITTED) {
            prepared.remove(xid);
            threePhase.put(xid, updatedAt);
            onWaiting.run();
        } else {
            prepared.remove(xid);
            threePhase.remove(xid);
        }
    }

    /** Whether a 2PC branch has been in doubt since before {@code before}. */
    boolean anyPreparedBefore(Instant before) {
        return anyBefore(prepared, before);
    }

    /** Whether a 3PC branch has waited since before {@code before}. */
    boolean anyThreePhaseBefore(Instant before) {
        return anyBefore(threePhase, before);
    }

    /** Branches that voted YES and wait for the decision (PREPARED, VOTED, PRE_COMMITTED). */
    int size() {
        return prepared.size() + threePhase.size();
    }

    private static boolean anyBefore(Map<String, Instant> since, Instant before) {
        if (since.isEmpty()) {
            return false;
        }
        for (Instant at : since.values()) {
            if (at.isBefore(before)) {
                return true;
            }
        }
        return false;
    }
}
