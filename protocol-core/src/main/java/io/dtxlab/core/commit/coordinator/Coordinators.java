package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/** Creates the coordinator machine for a protocol. */
public final class Coordinators {

    /** The reason of the ABORT a takeover logs for a 2PC transaction whose log holds no decision. */
    public static final String PRESUMED_ABORT = "presumed abort: no decision was logged before the leader changed";

    private Coordinators() {
    }

    /**
     * A fresh transaction; its first input must be {@link CoordinatorInput.Start}.
     *
     * @param participants the participants' node ids: at least one, distinct; a saga's steps, in their order
     * @param random for the jitter of phase-2 resends (injected, so a simulation replays)
     * @throws IllegalArgumentException for no participant or a repeated one
     */
    public static TransactionCoordinator begin(String xid, CommitProtocol protocol, List<String> participants,
            CoordinatorTiming timing, Random random) {
        return begin(xid, protocol, participants, Set.of(), timing, random);
    }

    /**
     * A fresh transaction whose saga steps {@code semanticLocks} take a semantic lock (Richardson, "Microservices
     * Patterns", 2018, ch. 4, countermeasures for the lack of isolation): such a step runs as TCC does (try, then
     * confirm once the saga completes or cancel when it goes back), so other sagas see its effect as pending, and a
     * step of theirs that finds what it needs held only by pending effects is answered busy and retried, not refused.
     *
     * @param semanticLocks a subset of {@code participants}; only a saga takes semantic locks
     * @throws IllegalArgumentException for semantic locks outside a saga or outside its steps
     */
    public static TransactionCoordinator begin(String xid, CommitProtocol protocol, List<String> participants,
            Set<String> semanticLocks, CoordinatorTiming timing, Random random) {
        Objects.requireNonNull(protocol, "protocol");
        checkLocks(protocol, participants, semanticLocks);
        switch (protocol) {
            case TWO_PHASE:
            case TCC:
                return new TwoPhaseCoordinator(xid, protocol, participants, timing, random, null);
            case THREE_PHASE:
                return new ThreePhaseCoordinator(xid, participants, timing, random, null);
            case SAGA:
                return new SagaCoordinator(xid, participants, semanticLocks, timing, random, null);
            default:
                return new ApplyCoordinator(xid, participants, timing);
        }
    }

    /**
     * A transaction found unfinished in the log by a new leader; its first input must be
     * {@link CoordinatorInput.Start}. With a logged decision it delivers that decision again to every participant
     * (a saga: compensates every step after an ABORT); without one, 2PC and TCC log {@link #PRESUMED_ABORT}, 3PC asks
     * the participants' states for the termination rule, and a saga goes forward again from its first step.
     *
     * @throws IllegalArgumentException for {@link CommitProtocol#NONE}, which logs nothing to recover
     */
    public static TransactionCoordinator recover(RecoveredTransaction logged, CoordinatorTiming timing, Random random) {
        Objects.requireNonNull(logged, "logged");
        checkLocks(logged.protocol(), logged.participants(), logged.semanticLocks());
        switch (logged.protocol()) {
            case TWO_PHASE:
            case TCC:
                return new TwoPhaseCoordinator(logged.xid(), logged.protocol(), logged.participants(), timing, random,
                        logged);
            case THREE_PHASE:
                return new ThreePhaseCoordinator(logged.xid(), logged.participants(), timing, random, logged);
            case SAGA:
                return new SagaCoordinator(logged.xid(), logged.participants(), logged.semanticLocks(), timing, random,
                        logged);
            default:
                throw new IllegalArgumentException(logged.xid() + ": " + logged.protocol().label()
                        + " logs nothing, so there is nothing to recover");
        }
    }

    /**
     * Only a saga takes semantic locks, and only on its own steps. An edge calls this before it accepts a begin, so
     * that a wrong one is refused on the caller's thread.
     *
     * @throws IllegalArgumentException for semantic locks outside a saga or outside its steps
     */
    public static void checkLocks(CommitProtocol protocol, List<String> participants, Set<String> semanticLocks) {
        if (semanticLocks.isEmpty()) {
            return;
        }
        if (protocol != CommitProtocol.SAGA) {
            throw new IllegalArgumentException("a semantic lock is a saga's countermeasure for its missing isolation; "
                    + protocol.label() + " takes none");
        }
        if (!participants.containsAll(semanticLocks)) {
            throw new IllegalArgumentException("semantic locks " + semanticLocks + " must be among the steps "
                    + participants);
        }
    }
}
