package io.dtxlab.core.commit.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.commit.coordinator.ApplyRound.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyRoundTest {

    private final ApplyRound round = new ApplyRound("tx-1", List.of("order", "inventory", "payment"));

    @Test
    void everyBranchAppliedIsCommitWithoutAReason() {
        assertThat(round.onApplied("payment")).isEmpty();
        assertThat(round.onApplied("order")).isEmpty();
        assertThat(round.onApplied("inventory")).contains(Outcome.COMMIT);
        assertThat(round.reason()).isNull();
    }

    @Test
    void someAppliedAndSomeRefusedIsPartialAndTheReasonNamesWhatIsKept() {
        round.onApplied("order");
        round.onRefused("payment", "insufficient funds");
        assertThat(round.onApplied("inventory")).contains(Outcome.PARTIAL);
        assertThat(round.reason())
                .isEqualTo("not atomic: order, inventory applied and kept; payment refused: insufficient funds");
    }

    @Test
    void nothingAppliedIsAbort() {
        round.onRefused("order", "order exists");
        round.onLost("inventory", "UNREACHABLE");
        assertThat(round.onRefused("payment", "unknown customer")).contains(Outcome.ABORT);
        assertThat(round.reason()).isEqualTo("nothing applied: order refused: order exists; "
                + "inventory did not answer: UNREACHABLE; payment refused: unknown customer");
    }

    @Test
    void theTimeoutCountsTheSilentAsNotAppliedAndLateAnswersChangeNothing() {
        round.onApplied("order");
        round.onApplied("inventory");
        assertThat(round.onTimeout("the apply timeout (2000 ms)")).contains(Outcome.PARTIAL);
        assertThat(round.reason()).endsWith("payment did not answer within the apply timeout (2000 ms)");
        assertThat(round.onApplied("payment")).isEmpty();
        assertThat(round.outcome()).contains(Outcome.PARTIAL);
        assertThat(round.answers().get("payment").answered()).isFalse();
    }

    @Test
    void aRepeatedAnswerKeepsTheFirst() {
        round.onRefused("payment", "insufficient funds");
        round.onApplied("payment");
        assertThat(round.answers().get("payment").applied()).isFalse();
    }
}
