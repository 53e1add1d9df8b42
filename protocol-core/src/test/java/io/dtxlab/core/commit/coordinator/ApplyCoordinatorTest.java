package io.dtxlab.core.commit.coordinator;

import static io.dtxlab.core.commit.coordinator.Transcript.THREE;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Acknowledged;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Lost;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.TimerFired;
import io.dtxlab.core.commit.coordinator.TimerRequest.Kind;
import io.dtxlab.core.commit.participant.BranchCommand;
import org.junit.jupiter.api.Test;

class ApplyCoordinatorTest {

    private final Transcript t = Transcript.begin(CommitProtocol.NONE);

    @Test
    void everyBranchAppliedIsCommitInTwoNMessagesWithNothingLogged() {
        t.start();
        assertThat(t.lastRecords).isEmpty();
        assertThat(t.last.messages()).allMatch(m -> m.command() == BranchCommand.APPLY && m.phase() == Phase.APPLY)
                .hasSize(3);
        assertThat(t.last.timers()).containsExactly(new TimerRequest(Kind.APPLIES, null, 5_000));
        t.everyoneAcks(Phase.APPLY);
        assertThat(t.last.answer()).contains(new Outcome("COMMIT", null));
        assertThat(t.log).isEmpty();
        assertThat(t.messages()).isEqualTo(2 * THREE.size());
        assertThat(t.machine.status().ended()).isTrue();
        assertThat(t.machine.status().applyOutcome()).isEqualTo(ApplyRound.Outcome.COMMIT);
    }

    @Test
    void givenPaymentRefusesOrderAndInventoryKeepTheirPartAndTheOutcomeIsPartial() {
        t.start().ack("order", Phase.APPLY).ack("inventory", Phase.APPLY);
        t.step(new Acknowledged("payment", Phase.APPLY, false, "insufficient funds"));
        assertThat(t.last.answer()).contains(new Outcome("PARTIAL",
                "not atomic: order, inventory applied and kept; payment refused: insufficient funds"));
        assertThat(t.last.messages()).isEmpty(); // nothing is undone
    }

    @Test
    void theApplyTimeoutCountsTheSilentAsNotApplied() {
        t.start().step(new Lost("order", Phase.APPLY, "UNREACHABLE"));
        t.step(new TimerFired(Kind.APPLIES, null));
        assertThat(t.last.answer()).contains(new Outcome("ABORT", "nothing applied: order did not answer: "
                + "UNREACHABLE; inventory did not answer within the apply timeout (5000 ms); payment did not answer "
                + "within the apply timeout (5000 ms)"));
        // late answers after the outcome change nothing
        assertThat(t.machine.step(new Acknowledged("payment", Phase.APPLY, true, null)).isEmpty()).isTrue();
        assertThat(t.machine.step(new Acknowledged("stranger", Phase.APPLY, true, null)).isEmpty()).isTrue();
    }
}
