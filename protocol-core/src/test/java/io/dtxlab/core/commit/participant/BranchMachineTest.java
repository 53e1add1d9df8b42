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
}
