package io.dtxlab.core.commit.coordinator;

import static io.dtxlab.core.commit.coordinator.Transcript.THREE;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Acknowledged;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Lost;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.TimerFired;
import io.dtxlab.core.commit.coordinator.LogRecord.DecisionRecord;
import io.dtxlab.core.commit.coordinator.TimerRequest.Kind;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreePhaseCoordinatorTest {

    private final Transcript t = Transcript.begin(CommitProtocol.THREE_PHASE);

    @Test
    void aFailureFreeTransactionPreCommitsThenCommitsAndCostsSixNMessages() {
        t.start();
        assertThat(t.lastRecords).containsExactly(new LogRecord.Begin("tx-1", CommitProtocol.THREE_PHASE, THREE));
        t.logged();
        assertThat(t.commands()).containsOnly(BranchCommand.CAN_COMMIT).hasSize(3);
        assertThat(t.last.timers()).containsExactly(new TimerRequest(Kind.VOTES, null, 5_000));

        // every YES: PRE_COMMIT is logged before any pre-commit leaves
        t.everyoneVotesYes();
        assertThat(t.lastRecords).containsExactly(new LogRecord.PreCommit("tx-1"));
        assertThat(t.last.messages()).isEmpty();
        t.logged();
        assertThat(t.last.messages()).allMatch(m -> m.command() == BranchCommand.PRE_COMMIT
                && m.phase() == Phase.PRE_COMMIT).hasSize(3);
        assertThat(t.last.timers()).containsExactly(new TimerRequest(Kind.PRE_COMMIT_ACKS, null, 5_000));
        assertThat(t.machine.status().phase()).isEqualTo(Phase.PRE_COMMIT);

        // every pre-commit acknowledged: COMMIT logged, then do-commit to all
        t.everyoneAcks(Phase.PRE_COMMIT);
        assertThat(t.lastRecords).containsExactly(new DecisionRecord("tx-1", Decision.COMMIT, null,
                Map.of("order", "YES", "inventory", "YES", "payment", "YES")));
        assertThat(t.machine.status().preCommitted()).containsExactlyElementsOf(THREE);
        t.logged();
        assertThat(t.commands()).containsOnly(BranchCommand.COMMIT).hasSize(3);
        t.everyoneAcks(Phase.DECISION);
        assertThat(t.last.answer()).contains(new Outcome("COMMIT", null));
        assertThat(t.lastRecords).containsExactly(new LogRecord.End("tx-1"));

        assertThat(t.messages()).isEqualTo(6 * THREE.size());
    }

    @Test
    void aCanCommitNoAbortsWithoutPreCommittingAnyone() {
        t.start().logged();
        t.vote("inventory", Vote.NO, "out of stock: GIZMO");
        assertThat(t.lastRecords).containsExactly(new DecisionRecord("tx-1", Decision.ABORT,
                "inventory voted NO: out of stock: GIZMO",
                Map.of("order", "none", "inventory", "NO: out of stock: GIZMO", "payment", "none")));
        t.logged();
        assertThat(t.commands()).containsOnly(BranchCommand.ABORT).hasSize(3);
        assertThat(t.log).noneMatch(r -> r instanceof LogRecord.PreCommit);
    }

    @Test
    void theCanCommitTimeoutIsNamedSo() {
        t.start().logged().vote("order", Vote.YES, null);
        t.step(new TimerFired(Kind.VOTES, null));
        assertThat(((DecisionRecord) t.lastRecords.get(0)).reason())
                .isEqualTo("no answer within the can-commit timeout (5000 ms) from inventory, payment");
    }

    @Test
    void aLostPreCommitAckAbortsAndTheAbortGoesToThePreCommittedToo() {
        t.start().logged().everyoneVotesYes().logged();
        t.ack("order", Phase.PRE_COMMIT);
        t.step(new Lost("payment", Phase.PRE_COMMIT, "TIMEOUT"));
        DecisionRecord d = (DecisionRecord) t.lastRecords.get(0);
        assertThat(d.decision()).isEqualTo(Decision.ABORT);
        assertThat(d.reason()).isEqualTo("no vote from payment: TIMEOUT");
        assertThat(d.votes()).containsEntry("payment", "YES"); // the can-commit votes are what is logged
        t.logged();
        assertThat(t.commands()).containsOnly(BranchCommand.ABORT).hasSize(3);
    }

    @Test
    void aRefusedPreCommitAndThePreCommitTimeoutAbort() {
        t.start().logged().everyoneVotesYes().logged();
        t.step(new Acknowledged("order", Phase.PRE_COMMIT, false, "insufficient stock"));
        assertThat(((DecisionRecord) t.lastRecords.get(0)).reason()).isEqualTo("order voted NO: insufficient stock");

        Transcript late = Transcript.begin(CommitProtocol.THREE_PHASE);
        late.start().logged().everyoneVotesYes().logged().ack("order", Phase.PRE_COMMIT);
        late.step(new TimerFired(Kind.PRE_COMMIT_ACKS, null));
        assertThat(((DecisionRecord) late.lastRecords.get(0)).reason())
                .isEqualTo("no answer within the pre-commit timeout (5000 ms) from inventory, payment");
    }

    @Test
    void recoveredWithAPreCommittedBranchItCommitsAndPreCommitsTheOthersFirst() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.THREE_PHASE, THREE, true,
                null, null, Map.of()));
        // the takeover asks every participant what its branch is in
        r.start();
        assertThat(r.lastRecords).isEmpty();
        assertThat(r.last.messages()).containsExactly(
                new BranchRequest("order", null, Phase.TERMINATION, null, 1),
                new BranchRequest("inventory", null, Phase.TERMINATION, null, 1),
                new BranchRequest("payment", null, Phase.TERMINATION, null, 1));
        assertThat(r.last.messages()).allMatch(BranchRequest::isStateRequest);

        r.state("payment", BranchState.VOTED).state("order", BranchState.PRE_COMMITTED);
        assertThat(r.lastRecords).isEmpty(); // inventory has not answered yet
        r.step(new Lost("inventory", Phase.TERMINATION, "UNREACHABLE"));
        assertThat(r.lastRecords).containsExactly(new DecisionRecord("tx-1", Decision.COMMIT,
                "3PC termination rule over {order=PRE_COMMITTED, payment=VOTED}: "
                        + "a participant is pre-committed or committed", Map.of()));
        assertThat(r.last.messages()).isEmpty();

        // COMMIT durable: do-commit to the pre-committed order; pre-commit first to the others
        r.logged();
        assertThat(r.last.messages()).containsExactly(
                new BranchRequest("order", BranchCommand.COMMIT, Phase.DECISION, null, 1),
                new BranchRequest("inventory", BranchCommand.PRE_COMMIT, Phase.PRE_COMMIT, null, 1),
                new BranchRequest("payment", BranchCommand.PRE_COMMIT, Phase.PRE_COMMIT, null, 1));
        r.ack("payment", Phase.PRE_COMMIT);
        assertThat(r.last.messages()).containsExactly(
                new BranchRequest("payment", BranchCommand.COMMIT, Phase.DECISION, null, 1));
        r.ack("order", Phase.DECISION).ack("payment", Phase.DECISION);
        r.step(new Lost("inventory", Phase.PRE_COMMIT, "UNREACHABLE"));
        r.step(new TimerFired(Kind.RESEND, "inventory"));
        assertThat(r.last.messages()).containsExactly(
                new BranchRequest("inventory", BranchCommand.PRE_COMMIT, Phase.PRE_COMMIT, null, 2));
        r.ack("inventory", Phase.PRE_COMMIT).ack("inventory", Phase.DECISION);
        assertThat(r.last.answer()).contains(new Outcome("COMMIT",
                "3PC termination rule over {order=PRE_COMMITTED, payment=VOTED}: "
                        + "a participant is pre-committed or committed"));
    }

    @Test
    void recoveredWithNoBranchPreCommittedItAborts() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.THREE_PHASE, THREE, false,
                null, null, Map.of()));
        r.start().state("order", BranchState.VOTED).state("inventory", BranchState.ABORTED).state("payment", null);
        assertThat(((DecisionRecord) r.lastRecords.get(0)).reason()).isEqualTo(
                "3PC termination rule over {order=VOTED, inventory=ABORTED}: no participant is pre-committed");
        r.logged();
        assertThat(r.commands()).containsOnly(BranchCommand.ABORT).hasSize(3);
    }

    @Test
    void recoveredWhenNobodyAnswersItAsksAgainLater() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.THREE_PHASE, THREE, true,
                null, null, Map.of()));
        r.start();
        THREE.forEach(p -> r.step(new Lost(p, Phase.TERMINATION, "UNREACHABLE")));
        assertThat(r.lastRecords).isEmpty();
        assertThat(r.last.timers()).containsExactly(new TimerRequest(Kind.ASK_AGAIN, null, 2_000));
        // a late answer to the finished round changes nothing until the timer fires
        assertThat(r.machine.step(new CoordinatorInput.BranchStateLearned("order", BranchState.VOTED)).isEmpty())
                .isTrue();
        r.step(new TimerFired(Kind.ASK_AGAIN, null));
        assertThat(r.last.messages()).hasSize(3).allMatch(m -> m.isStateRequest() && m.attempt() == 2);
        assertThat(r.machine.step(new TimerFired(Kind.ASK_AGAIN, null)).isEmpty()).isTrue();
    }

    @Test
    void recoveredWithALoggedCommitItPreCommitsFirstBecauseItCannotKnowWhoIs() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.THREE_PHASE, THREE, true,
                Decision.COMMIT, null, Map.of("order", "YES", "inventory", "YES", "payment", "YES")));
        r.start();
        assertThat(r.lastRecords).isEmpty();
        assertThat(r.commands()).containsOnly(BranchCommand.PRE_COMMIT).hasSize(3);
        THREE.forEach(p -> r.ack(p, Phase.PRE_COMMIT).ack(p, Phase.DECISION));
        assertThat(r.last.answer()).contains(new Outcome("COMMIT", null));
    }

    @Test
    void recoveredWithALoggedAbortItAbortsEveryone() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.THREE_PHASE, THREE, true,
                Decision.ABORT, "no vote from payment: TIMEOUT", Map.of()));
        r.start();
        assertThat(r.commands()).containsOnly(BranchCommand.ABORT).hasSize(3);
        assertThat(r.last.messages()).allMatch(m -> "no vote from payment: TIMEOUT".equals(m.reason()));
    }
}
