package io.dtxlab.core.commit.coordinator;

import static io.dtxlab.core.commit.coordinator.Transcript.THREE;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import io.dtxlab.core.commit.participant.BranchCommand;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** TCC is two-phase commit's flow under Try-Confirm-Cancel's names; the participants make the difference. */
class TccCoordinatorTest {

    private final Transcript t = Transcript.begin(CommitProtocol.TCC);

    @Test
    void aFailureFreeTccTriesEveryoneThenConfirmsAndCostsFourNMessages() {
        t.start();
        assertThat(t.lastRecords).containsExactly(new LogRecord.Begin("tx-1", CommitProtocol.TCC, THREE));
        assertThat(t.commands()).containsOnly(BranchCommand.TRY).hasSize(3);
        t.logged();
        t.everyoneVotesYes().logged();
        assertThat(t.commands()).containsOnly(BranchCommand.CONFIRM).hasSize(3);
        t.everyoneAcks(Phase.DECISION);
        assertThat(t.last.answer()).contains(new Outcome("COMMIT", null));
        assertThat(t.messages()).isEqualTo(4 * THREE.size());
    }

    @Test
    void aFailedTryCancelsEveryBranchIncludingTheOnesNeverTried() {
        t.start().logged();
        t.vote("payment", Vote.NO, "insufficient funds");
        t.logged();
        assertThat(t.commands()).containsOnly(BranchCommand.CANCEL).hasSize(3);
        assertThat(t.last.messages()).allMatch(m -> "payment voted NO: insufficient funds".equals(m.reason()));
    }

    @Test
    void aTakeoverWithoutADecisionCancels() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.TCC, THREE, false, null,
                null, Map.of()));
        r.start();
        assertThat(((LogRecord.DecisionRecord) r.lastRecords.get(0)).decision()).isEqualTo(Decision.ABORT);
        r.logged();
        assertThat(r.commands()).containsOnly(BranchCommand.CANCEL).hasSize(3);
    }
}
