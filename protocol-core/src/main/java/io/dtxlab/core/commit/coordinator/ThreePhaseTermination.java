package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.participant.BranchState;
import java.util.Collection;

/**
 * The 3PC termination rule a recovering coordinator applies to the branches it can reach: if any is pre-committed
 * or committed, every participant voted YES and the decision may have been COMMIT, so commit; otherwise nobody can
 * have committed, so abort. It is only as good as the set of branches it sees: a participant it cannot reach may
 * decide the other way by its own timeout, which is 3PC's anomaly under partitions.
 */
public final class ThreePhaseTermination {

    private ThreePhaseTermination() {
    }

    public static Decision decide(Collection<BranchState> reachable) {
        boolean anyPreCommitted = reachable.stream()
                .anyMatch(s -> s == BranchState.PRE_COMMITTED || s == BranchState.COMMITTED);
        return anyPreCommitted ? Decision.COMMIT : Decision.ABORT;
    }
}
