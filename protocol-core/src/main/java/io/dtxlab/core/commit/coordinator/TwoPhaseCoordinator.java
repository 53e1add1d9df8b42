package io.dtxlab.core.commit.coordinator;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.participant.BranchCommand;
import java.util.List;
import java.util.Random;

/**
 * Two-phase commit, presumed abort (Gray, "Notes on Data Base Operating Systems", 1978; presumed abort from Mohan,
 * Lindsay and Obermarck, 1986).
 * <ol>
 * <li>Start: log BEGIN, and PREPARE to every participant (phase VOTE) and the VOTES timer at once: presumed abort
 * needs no record behind a prepare ({@link #votesWhileBeginIsLogged}).</li>
 * <li>The last YES decides COMMIT; the first NO, a lost or refused prepare, or the timer decides ABORT: once BEGIN
 * is durable, log the DECISION with the votes.</li>
 * <li>The decision that counts durable: COMMIT or ABORT (with the reason) to every participant, resent after a
 * backoff until each acknowledges; then log END and answer the client.</li>
 * </ol>
 * A takeover that finds no decision aborts ({@link Coordinators#PRESUMED_ABORT}): no COMMIT was ever logged, so none
 * was ever sent. Failure-free it costs 4n messages.
 * <p>
 * TCC runs the same machine under its own names: TRY for PREPARE, CONFIRM for COMMIT, CANCEL for ABORT. What differs
 * is in the participants: a try reserves at the business level (stock held, funds frozen), visible to every other
 * transaction, where XA's prepare holds the resource manager's locks.
 */
final class TwoPhaseCoordinator extends AtomicCoordinator {

    /** @param protocol {@link CommitProtocol#TWO_PHASE} or {@link CommitProtocol#TCC} */
    TwoPhaseCoordinator(String xid, CommitProtocol protocol, List<String> participants, CoordinatorTiming timing,
            Random random, RecoveredTransaction recovered) {
        super(xid, protocol, participants, timing, random, recovered);
        if (protocol != CommitProtocol.TWO_PHASE && protocol != CommitProtocol.TCC) {
            throw new IllegalArgumentException("two-phase commit runs 2PC or TCC, not " + protocol.label());
        }
    }

    private boolean tcc() {
        return protocol == CommitProtocol.TCC;
    }

    @Override
    BranchCommand voteCommand() {
        return tcc() ? BranchCommand.TRY : BranchCommand.PREPARE;
    }

    @Override
    BranchCommand commitCommand() {
        return tcc() ? BranchCommand.CONFIRM : BranchCommand.COMMIT;
    }

    @Override
    BranchCommand abortCommand() {
        return tcc() ? BranchCommand.CANCEL : BranchCommand.ABORT;
    }

    @Override
    String voteName() {
        return tcc() ? "try" : "prepare";
    }

    @Override
    boolean votesWhileBeginIsLogged() {
        return true;
    }

    @Override
    void votesSettled(Decision decided, Out out) {
        propose(decided, votes.reason(), out);
    }

    @Override
    void recoveredWithoutDecision(Out out) {
        propose(Decision.ABORT, Coordinators.PRESUMED_ABORT, out);
    }
}
