package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.participant.resource.ExpectedBranch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The branches that wait for a coordinator, kept in memory beside the table: 2PC branches in doubt (PREPARED, since
 * they prepared) and 3PC branches waiting for their next message (VOTED or PRE_COMMITTED, since they last changed).
 * Filled from the table once before the node serves requests, then told of every committed state change. It lets
 * the recovery timers skip their queries when nothing waits long enough (at rest, always), and answers the in-doubt
 * gauge without a query. The table stays the truth: a timer that finds something due still reads it there.
 * Beside them, the branches this participant expects but has not seen ({@link ExpectedBranch}), which live only here
 * (the service names them again at start), until their branch arrives or is refused.
 */
final class WaitingBranches {

    private final Map<String, Instant> prepared = new ConcurrentHashMap<>();
    private final Map<String, Instant> threePhase = new ConcurrentHashMap<>();
    private final Map<String, ExpectedBranch<?>> expected = new ConcurrentHashMap<>();
    private volatile Runnable onWaiting = () -> {};

    /** Called, after the branch is tracked, each time a branch starts to wait (the recovery timers start then). */
    void onWaiting(Runnable listener) {
        this.onWaiting = listener;
    }

    /** Records {@code xid}'s committed state; {@code preparedAt} and {@code updatedAt} as stored with it. */
    void track(String xid, BranchState state, Instant preparedAt, Instant updatedAt) {
        expected.remove(xid); // it arrived (or was refused)
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

    /** Expects {@code branch} until a state of it is tracked or it is {@link #forget forgotten}. */
    void expect(ExpectedBranch<?> branch) {
        expected.put(branch.xid(), branch);
        onWaiting.run();
    }

    void forget(String xid) {
        expected.remove(xid);
    }

    ExpectedBranch<?> expected(String xid) {
        return expected.get(xid);
    }

    boolean anyExpected() {
        return !expected.isEmpty();
    }

    /** The expected branches expected since before {@code before}. */
    List<ExpectedBranch<?>> expectedBefore(Instant before) {
        if (expected.isEmpty()) {
            return List.of();
        }
        return expected.values().stream().filter(b -> b.since().isBefore(before)).toList();
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
