package io.dtxlab.core.commit.participant;

import static io.dtxlab.core.commit.participant.BranchCommand.ABORT;
import static io.dtxlab.core.commit.participant.BranchCommand.COMMIT;
import static io.dtxlab.core.commit.participant.BranchCommand.PREPARE;
import static io.dtxlab.core.commit.participant.BranchState.ABORTED;
import static io.dtxlab.core.commit.participant.BranchState.COMMITTED;
import static io.dtxlab.core.commit.participant.BranchState.PREPARED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BranchMachineTest {

    @Test
    void prepareReservesAndVotesYes() {
        Step step = BranchMachine.step(null, PREPARE);
        assertThat(step.effect()).isEqualTo(Effect.RESERVE);
        assertThat(step.next()).isEqualTo(PREPARED);
        assertThat(step.reply()).isEqualTo(Reply.VOTE_YES);
    }

    @Test
    void aPrepareTheResourceRefusesVotesNoAndAbortsTheBranch() {
        Step step = BranchMachine.refused("insufficient stock");
        assertThat(step.next()).isEqualTo(ABORTED);
        assertThat(step.reply()).isEqualTo(Reply.VOTE_NO);
        assertThat(step.reason()).isEqualTo("insufficient stock");
    }

    @Test
    void aLockingTryHeldUpByOtherSagasSemanticLocksIsBusyAndStoresNothing() {
        Step step = BranchMachine.busy("held by transactions that have not finished");
        assertThat(step.reply()).isEqualTo(Reply.BUSY);
        assertThat(step.effect()).isEqualTo(Effect.NONE);
        assertThat(step.changesState()).isFalse();
        // so the retry is a first try, and a cancel before it an empty cancel
        assertThat(BranchMachine.step(null, BranchCommand.TRY).effect()).isEqualTo(Effect.RESERVE);
        assertThat(BranchMachine.step(null, BranchCommand.CANCEL).effect()).isEqualTo(Effect.RECORD_EMPTY_ROLLBACK);
    }

    @Test
    void anAbortBeforeAnyPrepareIsRecordedAndTheLatePrepareIsRefused() {
        // given an empty rollback: the abort overtook the prepare
        Step abort = BranchMachine.step(null, ABORT);
        assertThat(abort.effect()).isEqualTo(Effect.RECORD_EMPTY_ROLLBACK);
        assertThat(abort.next()).isEqualTo(ABORTED);
        // when the prepare finally arrives, then nothing is reserved (no hanging branch)
        Step late = BranchMachine.step(ABORTED, PREPARE);
        assertThat(late.effect()).isEqualTo(Effect.NONE);
        assertThat(late.reply()).isEqualTo(Reply.VOTE_NO);
        assertThat(late.changesState()).isFalse();
    }

    @Test
    void commitAndAbortAreIdempotent() {
        assertThat(BranchMachine.step(PREPARED, COMMIT).effect()).isEqualTo(Effect.APPLY);
        assertThat(BranchMachine.step(COMMITTED, COMMIT)).satisfies(s -> {
            assertThat(s.effect()).isEqualTo(Effect.NONE);
            assertThat(s.reply()).isEqualTo(Reply.ACK);
        });
        assertThat(BranchMachine.step(PREPARED, ABORT).effect()).isEqualTo(Effect.RELEASE);
        assertThat(BranchMachine.step(ABORTED, ABORT)).satisfies(s -> {
            assertThat(s.effect()).isEqualTo(Effect.NONE);
            assertThat(s.reply()).isEqualTo(Reply.ACK);
        });
    }

    @Test
    void aDecidedBranchNeverFlipsItsOutcome() {
        assertThat(BranchMachine.step(COMMITTED, ABORT).reply()).isEqualTo(Reply.CONFLICT);
        assertThat(BranchMachine.step(ABORTED, COMMIT).reply()).isEqualTo(Reply.CONFLICT);
        assertThat(BranchMachine.step(null, COMMIT).reply()).isEqualTo(Reply.CONFLICT);
        assertThat(BranchMachine.step(COMMITTED, ABORT).changesState()).isFalse();
        assertThat(BranchMachine.step(ABORTED, COMMIT).changesState()).isFalse();
    }

    @Test
    void aDuplicatePrepareRepeatsTheVoteWithoutReservingTwice() {
        Step again = BranchMachine.step(PREPARED, PREPARE);
        assertThat(again.effect()).isEqualTo(Effect.NONE);
        assertThat(again.reply()).isEqualTo(Reply.VOTE_YES);
    }

    @Test
    void theFenceRefusesOlderEpochsAndAdmitsNewerOnes() {
        EpochFence fence = new EpochFence(3);
        assertThat(fence.admit(2)).isFalse();
        assertThat(fence.admit(3)).isTrue();
        assertThat(fence.admit(5)).isTrue();
        assertThat(fence.highest()).isEqualTo(5);
        assertThat(fence.admit(4)).isFalse();
    }

    @Test
    void threePhaseCanCommitChecksWithoutLockingAndPreCommitReserves() {
        Step canCommit = BranchMachine.step(null, BranchCommand.CAN_COMMIT);
        assertThat(canCommit.effect()).isEqualTo(Effect.CHECK);
        assertThat(canCommit.next()).isEqualTo(BranchState.VOTED);
        assertThat(BranchState.VOTED.holdsReservation()).isFalse();

        Step preCommit = BranchMachine.step(BranchState.VOTED, BranchCommand.PRE_COMMIT);
        assertThat(preCommit.effect()).isEqualTo(Effect.RESERVE);
        assertThat(preCommit.next()).isEqualTo(BranchState.PRE_COMMITTED);
        assertThat(preCommit.reply()).isEqualTo(Reply.ACK);

        assertThat(BranchMachine.step(BranchState.PRE_COMMITTED, BranchCommand.COMMIT).effect()).isEqualTo(Effect.APPLY);
        assertThat(BranchMachine.step(BranchState.PRE_COMMITTED, BranchCommand.ABORT).effect()).isEqualTo(Effect.RELEASE);
        assertThat(BranchMachine.step(BranchState.VOTED, BranchCommand.ABORT).effect()).isEqualTo(Effect.RECORD);
    }

    @Test
    void aThreePhaseBranchThatOnlyVotedAbortsByTimeoutAndAPreCommittedOneCommits() {
        assertThat(BranchMachine.onTimeout(BranchState.VOTED)).hasValueSatisfying(s -> {
            assertThat(s.next()).isEqualTo(ABORTED);
            assertThat(s.effect()).isEqualTo(Effect.RECORD);
        });
        assertThat(BranchMachine.onTimeout(BranchState.PRE_COMMITTED)).hasValueSatisfying(s -> {
            assertThat(s.next()).isEqualTo(COMMITTED);
            assertThat(s.effect()).isEqualTo(Effect.APPLY);
        });
    }

    @Test
    void aTwoPhaseBranchThatVotedYesNeverDecidesAlone() {
        assertThat(BranchMachine.onTimeout(PREPARED)).isEmpty();
    }

    @Test
    void aPreCommitAfterTheTimeoutAbortedTheBranchIsRefused() {
        assertThat(BranchMachine.step(ABORTED, BranchCommand.PRE_COMMIT).reply()).isEqualTo(Reply.VOTE_NO);
        assertThat(BranchMachine.step(BranchState.VOTED, COMMIT).reply()).isEqualTo(Reply.CONFLICT);
    }

    @Test
    void theTerminationRuleCommitsIfAnyBranchIsPreCommittedOrCommitted() {
        assertThat(io.dtxlab.core.commit.coordinator.ThreePhaseTermination.decide(
                java.util.List.of(BranchState.VOTED, BranchState.PRE_COMMITTED))).isEqualTo(io.dtxlab.core.commit.Decision.COMMIT);
        assertThat(io.dtxlab.core.commit.coordinator.ThreePhaseTermination.decide(
                java.util.List.of(BranchState.VOTED, ABORTED))).isEqualTo(io.dtxlab.core.commit.Decision.ABORT);
    }

    @Test
    void applyReservesAndAppliesAtOnceWithoutAVote() {
        Step step = BranchMachine.step(null, BranchCommand.APPLY);
        assertThat(step.effect()).isEqualTo(Effect.RESERVE_AND_APPLY);
        assertThat(step.next()).isEqualTo(COMMITTED);
        assertThat(step.reply()).isEqualTo(Reply.ACK);
    }

    @Test
    void anApplyTheResourceRefusesAbortsTheBranchWithTheReason() {
        Step step = BranchMachine.refused("insufficient funds");
        assertThat(step.next()).isEqualTo(ABORTED);
        assertThat(step.reply()).isEqualTo(Reply.VOTE_NO);
        assertThat(step.reason()).isEqualTo("insufficient funds");
    }

    @Test
    void aDuplicateApplyGetsTheSameAnswerAndChangesNothing() {
        assertThat(BranchMachine.step(COMMITTED, BranchCommand.APPLY)).satisfies(s -> {
            assertThat(s.effect()).isEqualTo(Effect.NONE);
            assertThat(s.reply()).isEqualTo(Reply.ACK);
            assertThat(s.changesState()).isFalse();
        });
        assertThat(BranchMachine.step(ABORTED, BranchCommand.APPLY)).satisfies(s -> {
            assertThat(s.effect()).isEqualTo(Effect.NONE);
            assertThat(s.reply()).isEqualTo(Reply.VOTE_NO);
            assertThat(s.reason()).contains("refused before");
            assertThat(s.changesState()).isFalse();
        });
    }

    @Test
    void applyOnABranchThatIsInTheMiddleOfTwoOrThreePhaseCommitIsAConflict() {
        for (BranchState state : java.util.List.of(PREPARED, BranchState.VOTED, BranchState.PRE_COMMITTED)) {
            Step step = BranchMachine.step(state, BranchCommand.APPLY);
            assertThat(step.reply()).as("%s", state).isEqualTo(Reply.CONFLICT);
            assertThat(step.effect()).isEqualTo(Effect.NONE);
            assertThat(step.changesState()).isFalse();
        }
    }

    @Test
    void aBranchThatAppliedNeverHoldsAReservationAndCannotBeAbortedAfterwards() {
        assertThat(COMMITTED.holdsReservation()).isFalse();
        assertThat(BranchMachine.step(COMMITTED, ABORT).reply()).isEqualTo(Reply.CONFLICT);
        assertThat(BranchMachine.onTimeout(COMMITTED)).isEmpty();
    }

    @Test
    void aSagaCompensationUndoesAnAppliedStepOnceAndTheStepCannotComeBack() {
        Step compensate = BranchMachine.step(COMMITTED, BranchCommand.COMPENSATE);
        assertThat(compensate.effect()).isEqualTo(Effect.COMPENSATE);
        assertThat(compensate.next()).isEqualTo(BranchState.COMPENSATED);
        assertThat(compensate.reply()).isEqualTo(Reply.ACK);
        // a duplicate compensation changes nothing; a duplicate step is refused
        Step again = BranchMachine.step(BranchState.COMPENSATED, BranchCommand.COMPENSATE);
        assertThat(again.effect()).isEqualTo(Effect.NONE);
        assertThat(again.reply()).isEqualTo(Reply.ACK);
        assertThat(BranchMachine.step(BranchState.COMPENSATED, BranchCommand.APPLY).reply()).isEqualTo(Reply.VOTE_NO);
    }

    @Test
    void anEmptyCompensationIsRecordedAndTheLateStepIsRefused() {
        // given the compensation overtook its step
        Step empty = BranchMachine.step(null, BranchCommand.COMPENSATE);
        assertThat(empty.effect()).isEqualTo(Effect.RECORD_EMPTY_COMPENSATION);
        assertThat(empty.next()).isEqualTo(BranchState.COMPENSATED);
        // when the step arrives, then nothing is applied
        Step late = BranchMachine.step(BranchState.COMPENSATED, BranchCommand.APPLY);
        assertThat(late.effect()).isEqualTo(Effect.NONE);
        assertThat(late.reply()).isEqualTo(Reply.VOTE_NO);
        assertThat(late.reason()).contains("compensated");
    }

    @Test
    void compensatingAStepThatWasRefusedHasNothingToUndo() {
        Step step = BranchMachine.step(ABORTED, BranchCommand.COMPENSATE);
        assertThat(step.effect()).isEqualTo(Effect.NONE);
        assertThat(step.next()).isNull();
        assertThat(step.reply()).isEqualTo(Reply.ACK);
    }

    @Test
    void aCompensationOfATwoPhaseBranchIsAConflict() {
        assertThat(BranchMachine.step(PREPARED, BranchCommand.COMPENSATE).reply()).isEqualTo(Reply.CONFLICT);
    }

    @Test
    void tccTryConfirmAndCancelArePrepareCommitAndAbortUnderTheirOwnNames() {
        Step tried = BranchMachine.step(null, BranchCommand.TRY);
        assertThat(tried.effect()).isEqualTo(Effect.RESERVE);
        assertThat(tried.next()).isEqualTo(PREPARED);
        assertThat(tried.reply()).isEqualTo(Reply.VOTE_YES);
        assertThat(BranchMachine.step(PREPARED, BranchCommand.CONFIRM).effect()).isEqualTo(Effect.APPLY);
        assertThat(BranchMachine.step(PREPARED, BranchCommand.CANCEL).effect()).isEqualTo(Effect.RELEASE);
        // idempotent confirm and cancel
        assertThat(BranchMachine.step(COMMITTED, BranchCommand.CONFIRM).effect()).isEqualTo(Effect.NONE);
        assertThat(BranchMachine.step(COMMITTED, BranchCommand.CONFIRM).reply()).isEqualTo(Reply.ACK);
        assertThat(BranchMachine.step(ABORTED, BranchCommand.CANCEL).reply()).isEqualTo(Reply.ACK);
    }

    @Test
    void anEmptyCancelIsRecordedAndTheLateTryIsRefusedSoNoTryHangs() {
        Step cancel = BranchMachine.step(null, BranchCommand.CANCEL);
        assertThat(cancel.effect()).isEqualTo(Effect.RECORD_EMPTY_ROLLBACK);
        assertThat(cancel.next()).isEqualTo(ABORTED);
        Step late = BranchMachine.step(ABORTED, BranchCommand.TRY);
        assertThat(late.effect()).isEqualTo(Effect.NONE);
        assertThat(late.reply()).isEqualTo(Reply.VOTE_NO);
        assertThat(late.reason()).contains("late try is refused");
    }
}
