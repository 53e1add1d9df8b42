package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;
import java.util.List;
import java.util.Random;

/** Creates the coordinator machine for a protocol. */
public final class Coordinators {

    private Coordinators() {
    }

    /**
     * A fresh transaction; its first input must be {@link CoordinatorInput.Start}.
     *
     * @param random for the jitter of phase-2 resends (injected, so a simulation replays)
     */
    public static TransactionCoordinator begin(String xid, CommitProtocol protocol, List<String> participants,
            CoordinatorTiming timing, Random random) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A transaction found unfinished in the log by a new leader; its first input must be {@link CoordinatorInput.Start}. */
    public static TransactionCoordinator recover(RecoveredTransaction logged, CoordinatorTiming timing, Random random) {
        throw new UnsupportedOperationException("not yet");
    }
}
