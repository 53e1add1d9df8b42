package io.dtxlab.core.commit.coordinator;

import static io.dtxlab.core.commit.coordinator.Transcript.THREE;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Acknowledged;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Logged;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Lost;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Refused;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.TimerFired;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Voted;
import io.dtxlab.core.commit.coordinator.LogRecord.DecisionRecord;
import io.dtxlab.core.commit.coordinator.TimerRequest.Kind;
import io.dtxlab.core.commit.participant.BranchCommand;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TwoPhaseCoordinatorTest {

    private final Transcript t = Transcript.begin(CommitProtocol.TWO_PHASE);

    @Test
    void aFailureFreeTransactionLogsBeginDecisionEndAndCostsFourNMessages() {
        // given a fresh transaction, when it starts, then BEGIN is asked for and the prepares to all three leave with
        // it, with the prepare timeout: under presumed abort no record has to be durable behind a prepare
        t.start();
        assertThat(t.lastRecords).containsExactly(new LogRecord.Begin("tx-1", CommitProtocol.TWO_PHASE, THREE));
        assertThat(t.commands()).containsExactly(BranchCommand.PREPARE, BranchCommand.PREPARE, BranchCommand.PREPARE);
        assertThat(t.recipients()).containsExactlyElementsOf(THREE);
        assertThat(t.last.messages()).allMatch(m -> m.phase() == Phase.VOTE && m.attempt() == 1);
        assertThat(t.last.timers()).containsExactly(new TimerRequest(Kind.VOTES, null, 5_000));

        // BEGIN durable: nothing more to do
        t.logged();
        assertThat(t.last.messages()).isEmpty();

        // every YES: the COMMIT decision is logged, and not sent yet
        t.everyoneVotesYes();
        assertThat(t.lastRecords).containsExactly(new DecisionRecord("tx-1", Decision.COMMIT, null,
                Map.of("order", "YES", "inventory", "YES", "payment", "YES")));
        assertThat(t.last.messages()).isEmpty();
        assertThat(t.machine.status().decision()).isNull();

        // the decision durable: commit to all three
        t.logged();
        assertThat(t.commands()).containsOnly(BranchCommand.COMMIT).hasSize(3);
        assertThat(t.machine.status().awaitingAck()).containsExactlyElementsOf(THREE);

        // the acks: END and the answer, once, with the last one
        t.ack("order", Phase.DECISION).ack("inventory", Phase.DECISION);
        assertThat(t.last.answer()).isEmpty();
        t.ack("payment", Phase.DECISION);
        assertThat(t.lastRecords).containsExactly(new LogRecord.End("tx-1"));
        assertThat(t.last.answer()).contains(new Outcome("COMMIT", null));
        assertThat(t.machine.status().ended()).isTrue();

        assertThat(t.messages()).isEqualTo(4 * THREE.size());
        assertThat(t.log).hasSize(3);
    }

    @Test
    void givenPaymentVotesNoTheDecisionIsAbortAndAbortGoesToAllThree() {
        t.start().logged();
        t.vote("order", Vote.YES, null);
        t.vote("payment", Vote.NO, "insufficient funds");

        String reason = "payment voted NO: insufficient funds";
        assertThat(t.lastRecords).containsExactly(new DecisionRecord("tx-1", Decision.ABORT, reason,
                Map.of("order", "YES", "inventory", "none", "payment", "NO: insufficient funds")));

        t.logged();
        assertThat(t.last.messages()).containsExactly(
                new BranchRequest("order", BranchCommand.ABORT, Phase.DECISION, reason, 1),
                new BranchRequest("inventory", BranchCommand.ABORT, Phase.DECISION, reason, 1),
                new BranchRequest("payment", BranchCommand.ABORT, Phase.DECISION, reason, 1));

        // inventory's YES comes after the decision: it changes nothing
        assertThat(t.machine.step(new Voted("inventory", Vote.YES, null)).isEmpty()).isTrue();
        t.everyoneAcks(Phase.DECISION);
        assertThat(t.last.answer()).contains(new Outcome("ABORT", reason));
    }

    @Test
    void thePrepareTimeoutPresumesTheSilentVotedNo() {
        t.start().logged();
        t.vote("order", Vote.YES, null).vote("inventory", Vote.YES, null);
        t.step(new TimerFired(Kind.VOTES, null));
        assertThat(((DecisionRecord) t.lastRecords.get(0)).reason())
                .isEqualTo("no answer within the prepare timeout (5000 ms) from payment");
    }

    @Test
    void aLostPrepareDecidesAbortAtOnce() {
        t.start().logged();
        t.step(new Lost("inventory", Phase.VOTE, "UNREACHABLE"));
        assertThat(((DecisionRecord) t.lastRecords.get(0)).reason()).isEqualTo("no vote from inventory: UNREACHABLE");
    }

    @Test
    void theFirstLoggedDecisionCountsEvenWhenThisCoordinatorProposedAnother() {
        t.start().logged().everyoneVotesYes();
        // a takeover logged ABORT first: the log answers with that one
        t.step(new Logged(new DecisionRecord("tx-1", Decision.ABORT, Coordinators.PRESUMED_ABORT, Map.of())));
        assertThat(t.commands()).containsOnly(BranchCommand.ABORT).hasSize(3);
        assertThat(t.machine.status().decision()).isEqualTo(Decision.ABORT);
        // the proposed COMMIT coming back later changes nothing
        assertThat(t.machine.step(new Logged(new DecisionRecord("tx-1", Decision.COMMIT, null, Map.of()))).isEmpty())
                .isTrue();
        t.everyoneAcks(Phase.DECISION);
        assertThat(t.last.answer()).contains(new Outcome("ABORT", Coordinators.PRESUMED_ABORT));
    }

    @Test
    void aLostCommitIsResentAfterAnExponentialBackoffUntilAcknowledged() {
        CoordinatorTiming timing = new CoordinatorTiming(5_000, 100, 500, 2_000);
        Transcript r = new Transcript(Coordinators.begin("tx-1", CommitProtocol.TWO_PHASE, THREE, timing,
                new Random(1)));
        r.start().logged().everyoneVotesYes().logged();
        long[] expected = {100, 200, 400, 500, 500};
        for (int n = 0; n < expected.length; n++) {
            r.step(new Lost("payment", Phase.DECISION, "TIMEOUT"));
            TimerRequest timer = r.last.timers().get(0);
            assertThat(timer.kind()).isEqualTo(Kind.RESEND);
            assertThat(timer.participant()).isEqualTo("payment");
            assertThat(timer.afterMillis()).isBetween(Math.round(expected[n] * 0.8), Math.round(expected[n] * 1.2));
            r.step(new TimerFired(Kind.RESEND, "payment"));
            assertThat(r.last.messages()).containsExactly(
                    new BranchRequest("payment", BranchCommand.COMMIT, Phase.DECISION, null, n + 2));
        }
        // a second loss report of the same message sets no second timer
        r.step(new Lost("payment", Phase.DECISION, "TIMEOUT"));
        assertThat(r.machine.step(new Lost("payment", Phase.DECISION, "TIMEOUT")).isEmpty()).isTrue();
        r.everyoneAcks(Phase.DECISION);
        assertThat(r.last.answer()).contains(new Outcome("COMMIT", null));
        // the pending resend timer fires after the end: nothing
        assertThat(r.machine.step(new TimerFired(Kind.RESEND, "payment")).isEmpty()).isTrue();
    }

    @Test
    void aRefusedDecisionIsNotResentAndTheTransactionDoesNotEndHere() {
        t.start().logged().everyoneVotesYes().logged();
        t.ack("order", Phase.DECISION).ack("inventory", Phase.DECISION);
        // a newer epoch fenced this coordinator at payment: the new leader finishes it
        t.step(new Refused("payment", Phase.DECISION, "STALE: epoch 1 is older than epoch 2"));
        assertThat(t.machine.step(new Lost("payment", Phase.DECISION, "late")).isEmpty()).isTrue();
        assertThat(t.machine.step(new TimerFired(Kind.RESEND, "payment")).isEmpty()).isTrue();
        assertThat(t.machine.status().ended()).isFalse();
        assertThat(t.machine.status().awaitingAck()).containsExactly("payment");
    }

    @Test
    void votesInBeforeBeginIsDurableDecideOnlyOnceItIs() {
        // given phase 1 out while BEGIN is logged, when every vote is in before BEGIN is durable
        t.start();
        LogRecord begin = t.lastRecords.get(0);
        t.everyoneVotesYes();
        // then nothing is decided yet: a takeover that found a decision would not know its participants
        assertThat(t.lastRecords).isEmpty();
        assertThat(t.last.messages()).isEmpty();
        assertThat(t.machine.status().decision()).isNull();
        // BEGIN durable: the decision the votes made is logged
        t.step(new Logged(begin));
        assertThat(t.lastRecords).containsExactly(new DecisionRecord("tx-1", Decision.COMMIT, null,
                Map.of("order", "YES", "inventory", "YES", "payment", "YES")));
        assertThat(t.last.messages()).isEmpty();

        // the same for a NO, and for the prepare timeout
        Transcript no = Transcript.begin(CommitProtocol.TWO_PHASE).start();
        LogRecord noBegin = no.lastRecords.get(0);
        no.vote("payment", Vote.NO, "insufficient funds");
        assertThat(no.lastRecords).isEmpty();
        no.step(new Logged(noBegin));
        assertThat(no.lastRecords).singleElement().isInstanceOfSatisfying(DecisionRecord.class,
                d -> assertThat(d.decision()).isEqualTo(Decision.ABORT));
        Transcript late = Transcript.begin(CommitProtocol.TWO_PHASE).start();
        LogRecord lateBegin = late.lastRecords.get(0);
        late.step(new TimerFired(Kind.VOTES, null));
        assertThat(late.lastRecords).isEmpty();
        late.step(new Logged(lateBegin));
        assertThat(late.lastRecords).singleElement().isInstanceOfSatisfying(DecisionRecord.class,
                d -> assertThat(d.decision()).isEqualTo(Decision.ABORT));
    }

    @Test
    void inputsThatNoLongerMatterAreIgnoredNeverAnError() {
        t.start();
        // before any decision: an acknowledgement has nothing to act on
        assertThat(t.machine.step(new Acknowledged("order", Phase.DECISION, true, null)).isEmpty()).isTrue();
        t.logged();
        assertThat(t.machine.step(new Voted("stranger", Vote.NO, "who?")).isEmpty()).isTrue();
        assertThat(t.machine.step(new Acknowledged("order", Phase.DECISION, true, null)).isEmpty()).isTrue();
        assertThat(t.machine.step(new CoordinatorInput.Start()).isEmpty()).isTrue();
        t.everyoneVotesYes();
        assertThat(t.machine.step(new TimerFired(Kind.VOTES, null)).isEmpty()).isTrue();
        assertThat(t.machine.step(new Voted("order", Vote.NO, "changed my mind")).isEmpty()).isTrue();
        t.logged();
        t.ack("order", Phase.DECISION);
        assertThat(t.machine.step(new Acknowledged("order", Phase.DECISION, true, null)).isEmpty()).isTrue();
        assertThat(t.machine.step(new Logged(new LogRecord.Begin("tx-2", CommitProtocol.TWO_PHASE, THREE))).isEmpty())
                .isTrue();
        t.ack("inventory", Phase.DECISION).ack("payment", Phase.DECISION);
        assertThat(t.machine.step(new Acknowledged("payment", Phase.DECISION, true, null)).isEmpty()).isTrue();
        assertThat(t.log.stream().filter(r -> r instanceof LogRecord.End)).hasSize(1);
    }

    @Test
    void aTakeoverWithALoggedDecisionDeliversItAgainToEveryone() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.TWO_PHASE, THREE, false,
                Decision.COMMIT, null, Map.of("order", "YES", "inventory", "YES", "payment", "YES")));
        r.start();
        assertThat(r.lastRecords).isEmpty();
        assertThat(r.commands()).containsOnly(BranchCommand.COMMIT).hasSize(3);
        assertThat(r.machine.status().votes()).containsOnlyKeys(THREE);
        r.everyoneAcks(Phase.DECISION);
        assertThat(r.lastRecords).containsExactly(new LogRecord.End("tx-1"));
        assertThat(r.last.answer()).contains(new Outcome("COMMIT", null));
    }

    @Test
    void aTakeoverWithoutADecisionPresumesAbortAndSendsNothingBeforeItIsLogged() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.TWO_PHASE, THREE, false,
                null, null, Map.of()));
        r.start();
        assertThat(r.lastRecords).containsExactly(new DecisionRecord("tx-1", Decision.ABORT,
                "presumed abort: no decision was logged before the leader changed", Map.of()));
        assertThat(r.last.messages()).isEmpty();
        r.logged();
        assertThat(r.last.messages()).allMatch(m -> m.command() == BranchCommand.ABORT
                && Coordinators.PRESUMED_ABORT.equals(m.reason())).hasSize(3);
    }

    @Test
    void aTakeoverAdoptsTheDecisionTheLogSaysCounts() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.TWO_PHASE, THREE, false,
                null, null, Map.of()));
        r.start();
        // the old leader's COMMIT was chosen first
        r.step(new Logged(new DecisionRecord("tx-1", Decision.COMMIT, null, Map.of())));
        assertThat(r.commands()).containsOnly(BranchCommand.COMMIT).hasSize(3);
    }

    @Test
    void invalidParticipantsAreRefusedBeforeAnythingHappens() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Coordinators.begin(
                "tx-1", CommitProtocol.TWO_PHASE, List.of(), Transcript.TIMING, new Random(1)));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Coordinators.begin(
                "tx-1", CommitProtocol.TWO_PHASE, List.of("a", "a"), Transcript.TIMING, new Random(1)));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Coordinators.recover(
                new RecoveredTransaction("tx-1", CommitProtocol.NONE, THREE, false, null, null, null),
                Transcript.TIMING, new Random(1)));
    }
}
