package io.dtxlab.core.commit.coordinator;

import static io.dtxlab.core.commit.coordinator.Transcript.THREE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Acknowledged;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Lost;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.Refused;
import io.dtxlab.core.commit.coordinator.CoordinatorInput.TimerFired;
import io.dtxlab.core.commit.coordinator.LogRecord.DecisionRecord;
import io.dtxlab.core.commit.coordinator.TimerRequest.Kind;
import io.dtxlab.core.commit.participant.BranchCommand;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The saga's steps are order, inventory and payment, in that order. */
class SagaCoordinatorTest {

    private final Transcript t = Transcript.begin(CommitProtocol.SAGA);

    private Transcript applied(String step) {
        return t.step(new Acknowledged(step, Phase.STEP, true, null));
    }

    private Transcript refused(String step, String why) {
        return t.step(new Acknowledged(step, Phase.STEP, false, why));
    }

    private Transcript compensated(String step) {
        return t.step(new Acknowledged(step, Phase.COMPENSATION, true, null));
    }

    @Test
    void aFailureFreeSagaAppliesEachStepInOrderAndCostsTwoNMessages() {
        // nothing leaves before BEGIN is durable
        t.start();
        assertThat(t.lastRecords).containsExactly(new LogRecord.Begin("tx-1", CommitProtocol.SAGA, THREE));
        assertThat(t.last.messages()).isEmpty();

        // one step at a time, each with its own timeout
        t.logged();
        assertThat(t.last.messages()).containsExactly(new BranchRequest("order", BranchCommand.APPLY, Phase.STEP, null, 1));
        assertThat(t.last.timers()).containsExactly(new TimerRequest(Kind.STEP, "order", 5_000));
        applied("order");
        assertThat(t.recipients()).containsExactly("inventory");
        applied("inventory");
        assertThat(t.recipients()).containsExactly("payment");

        // the last step: COMMIT logged; once durable, END and the answer (a new leader could still have gone back)
        applied("payment");
        assertThat(t.lastRecords).containsExactly(
                new DecisionRecord("tx-1", Decision.COMMIT, null, Map.of("order", "YES", "inventory", "YES", "payment", "YES")));
        assertThat(t.last.answer()).isEmpty();
        t.logged();
        assertThat(t.lastRecords).containsExactly(new LogRecord.End("tx-1"));
        assertThat(t.last.answer()).contains(new Outcome("COMMIT", null));
        assertThat(t.messages()).isEqualTo(2 * THREE.size());
    }

    @Test
    void givenPaymentRefusesTheStepsBeforeItAreCompensatedInReverseOrder() {
        t.start().logged();
        applied("order");
        applied("inventory");
        refused("payment", "insufficient funds");

        // the way back is logged before any compensation leaves
        String reason = "payment refused its step: insufficient funds";
        assertThat(t.lastRecords).containsExactly(new DecisionRecord("tx-1", Decision.ABORT, reason,
                Map.of("order", "YES", "inventory", "YES", "payment", "NO: " + reason)));
        assertThat(t.last.messages()).isEmpty();

        // durable: inventory first, then order; payment did nothing and gets nothing
        t.logged();
        assertThat(t.last.messages()).containsExactly(
                new BranchRequest("inventory", BranchCommand.COMPENSATE, Phase.COMPENSATION, reason, 1));
        assertThat(t.machine.status().phase()).isEqualTo(Phase.COMPENSATION);
        assertThat(t.machine.status().awaitingAck()).containsExactly("inventory", "order");
        compensated("inventory");
        assertThat(t.last.messages()).containsExactly(
                new BranchRequest("order", BranchCommand.COMPENSATE, Phase.COMPENSATION, reason, 1));
        compensated("order");
        assertThat(t.lastRecords).containsExactly(new LogRecord.End("tx-1"));
        assertThat(t.last.answer()).contains(new Outcome("ABORT", "compensated: " + reason));

        // failing at step k = 3: 2k forward, 2(k-1) back
        assertThat(t.messages()).isEqualTo(2 * 3 + 2 * (3 - 1));
    }

    @Test
    void aFirstStepThatRefusesEndsTheSagaWithNothingToCompensate() {
        t.start().logged();
        refused("order", "unknown customer");
        t.logged();
        assertThat(t.last.messages()).isEmpty();
        assertThat(t.last.answer()).contains(new Outcome("ABORT", "compensated: order refused its step: unknown customer"));
        assertThat(t.messages()).isEqualTo(2);
    }

    @Test
    void aLostStepMayHaveAppliedSoItIsCompensatedToo() {
        t.start().logged();
        applied("order");
        t.step(new Lost("inventory", Phase.STEP, "no answer within 2000 ms"));
        t.logged();
        assertThat(t.recipients()).containsExactly("inventory");
        assertThat(t.commands()).containsExactly(BranchCommand.COMPENSATE);
        compensated("inventory");
        assertThat(t.recipients()).containsExactly("order");
    }

    @Test
    void aStepWhoseTimerFiresFailsAndALateAnswerChangesNothing() {
        t.start().logged();
        t.step(new TimerFired(Kind.STEP, "order"));
        assertThat(t.lastRecords).hasSize(1);
        assertThat(((DecisionRecord) t.lastRecords.get(0)).decision()).isEqualTo(Decision.ABORT);
        applied("order");
        assertThat(t.last.messages()).isEmpty();
        assertThat(t.lastRecords).isEmpty();
    }

    @Test
    void aCompensationThatKeepsFailingIsRetriedWithBackoffWithoutLimit() {
        t.start().logged();
        applied("order");
        refused("inventory", "out of stock");
        t.logged();
        for (int i = 1; i <= 12; i++) {
            t.step(new Lost("order", Phase.COMPENSATION, "503"));
            assertThat(t.last.timers()).singleElement().satisfies(timer -> {
                assertThat(timer.kind()).isEqualTo(Kind.RESEND);
                assertThat(timer.participant()).isEqualTo("order");
                assertThat(timer.afterMillis()).isBetween(80L, 6_000L); // 100 ms doubling, capped at 5 s, ±20 %
            });
            t.step(new TimerFired(Kind.RESEND, "order"));
            assertThat(t.last.messages()).containsExactly(new BranchRequest("order", BranchCommand.COMPENSATE,
                    Phase.COMPENSATION, "inventory refused its step: out of stock", i + 1));
            assertThat(t.machine.status().phase()).isEqualTo(Phase.COMPENSATION);
            assertThat(t.machine.status().ended()).isFalse();
        }
        compensated("order");
        assertThat(t.machine.status().ended()).isTrue();
    }

    @Test
    void aCompensationRefusedByANewerEpochStopsHereForTheNewLeaderToFinish() {
        t.start().logged();
        applied("order");
        refused("inventory", "out of stock");
        t.logged();
        t.step(new Refused("order", Phase.COMPENSATION, "STALE: epoch 1 is older than epoch 2"));
        t.step(new TimerFired(Kind.RESEND, "order"));
        assertThat(t.last.messages()).isEmpty();
        assertThat(t.machine.status().ended()).isFalse();
    }

    @Test
    void aNewLeaderWithoutADecisionGoesForwardAgainFromTheFirstStep() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.SAGA, THREE, false, null,
                null, Map.of()));
        r.start();
        assertThat(r.lastRecords).isEmpty();
        assertThat(r.last.messages()).containsExactly(new BranchRequest("order", BranchCommand.APPLY, Phase.STEP, null, 1));
        r.step(new Acknowledged("order", Phase.STEP, true, "duplicate apply: already COMMITTED"));
        assertThat(r.recipients()).containsExactly("inventory");
    }

    @Test
    void aNewLeaderThatFailsAStepCompensatesEveryStepForTheOldLeaderMayHaveGotFurther() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.SAGA, THREE, false, null,
                null, Map.of()));
        r.start();
        r.step(new Lost("order", Phase.STEP, "no answer"));
        r.logged();
        assertThat(r.last.messages()).containsExactly(new BranchRequest("payment", BranchCommand.COMPENSATE,
                Phase.COMPENSATION, "order's step got no answer: no answer", 1));
    }

    @Test
    void aNewLeaderThatFindsTheAbortCompensatesEveryStepLastFirstIncludingEmptyCompensations() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.SAGA, THREE, false,
                Decision.ABORT, "inventory refused its step: out of stock", Map.of()));
        r.start();
        assertThat(r.recipients()).containsExactly("payment");
        r.step(new Acknowledged("payment", Phase.COMPENSATION, true, null));
        assertThat(r.recipients()).containsExactly("inventory");
        r.step(new Acknowledged("inventory", Phase.COMPENSATION, true, null));
        assertThat(r.recipients()).containsExactly("order");
        r.step(new Acknowledged("order", Phase.COMPENSATION, true, null));
        assertThat(r.last.answer()).contains(new Outcome("ABORT", "compensated: inventory refused its step: out of stock"));
        assertThat(r.log).containsExactly(new LogRecord.End("tx-1"));
    }

    @Test
    void aNewLeaderThatFindsTheCommitOnlyEndsIt() {
        Transcript r = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.SAGA, THREE, false,
                Decision.COMMIT, null, Map.of()));
        r.start();
        assertThat(r.last.messages()).isEmpty();
        assertThat(r.log).containsExactly(new LogRecord.End("tx-1"));
        assertThat(r.last.answer()).contains(new Outcome("COMMIT", null));
    }

    @Test
    void aLockingStepTriesFirstAndIsConfirmedAfterTheCommitAtTwoMoreMessagesEach() {
        Transcript l = Transcript.sagaLocking(Set.of("inventory", "payment"));
        l.start();
        assertThat(l.lastRecords).containsExactly(
                new LogRecord.Begin("tx-1", CommitProtocol.SAGA, THREE, Set.of("inventory", "payment")));
        l.logged();
        assertThat(l.commands()).containsExactly(BranchCommand.APPLY); // order takes no lock
        l.step(new Acknowledged("order", Phase.STEP, true, null));
        assertThat(l.last.messages()).containsExactly(new BranchRequest("inventory", BranchCommand.TRY, Phase.STEP, null, 1));
        l.step(new Acknowledged("inventory", Phase.STEP, true, null));
        assertThat(l.commands()).containsExactly(BranchCommand.TRY);
        l.step(new Acknowledged("payment", Phase.STEP, true, null));

        // COMMIT durable: the pending effects are confirmed; the answer waits for that, as 2PC's waits for phase 2
        l.logged();
        assertThat(l.last.answer()).isEmpty();
        assertThat(l.lastRecords).isEmpty();
        assertThat(l.last.messages()).containsExactly(
                new BranchRequest("inventory", BranchCommand.CONFIRM, Phase.DECISION, null, 1),
                new BranchRequest("payment", BranchCommand.CONFIRM, Phase.DECISION, null, 1));
        assertThat(l.machine.status().awaitingAck()).containsExactly("inventory", "payment");

        // a lost confirmation is sent again until it is acknowledged; END after the last
        l.step(new Lost("payment", Phase.DECISION, "timeout"));
        assertThat(l.last.timers()).singleElement().satisfies(tr -> assertThat(tr.kind()).isEqualTo(Kind.RESEND));
        l.step(new Acknowledged("inventory", Phase.DECISION, true, null));
        assertThat(l.lastRecords).isEmpty();
        l.step(new TimerFired(Kind.RESEND, "payment"));
        assertThat(l.last.messages()).containsExactly(
                new BranchRequest("payment", BranchCommand.CONFIRM, Phase.DECISION, null, 2));
        l.step(new Acknowledged("payment", Phase.DECISION, true, null));
        assertThat(l.lastRecords).containsExactly(new LogRecord.End("tx-1"));
        assertThat(l.last.answer()).contains(new Outcome("COMMIT", null));

        // 2n + 2 per locked step, not counting the resent confirmation and its lost answer
        assertThat(l.messages() - 1).isEqualTo(2 * 3 + 2 * 2);
    }

    /** A saga whose inventory step takes a semantic lock: order applied, inventory's first try answered busy. */
    private static Transcript inventoryBusy() {
        Transcript l = Transcript.sagaLocking(Set.of("inventory"));
        l.start().logged();
        l.step(new Acknowledged("order", Phase.STEP, true, null));
        return l.step(new CoordinatorInput.Busy("inventory", Phase.STEP, 1, "held by transactions not finished"));
    }

    @Test
    void aLockingStepAnsweredBusyIsTriedAgainWithBackoffAndEachAttemptHasItsOwnTimeout() {
        Transcript l = inventoryBusy();

        // nothing is decided: the step waits, for at most the lock wait
        assertThat(l.lastRecords).isEmpty();
        assertThat(l.last.timers()).extracting(TimerRequest::kind).containsExactlyInAnyOrder(Kind.LOCK_WAIT, Kind.RESEND);
        // the first attempt's step timer fires meanwhile: it was answered, so it changes nothing
        l.step(new TimerFired(Kind.STEP, "inventory"));
        assertThat(l.lastRecords).isEmpty();
        l.step(new TimerFired(Kind.RESEND, "inventory"));
        assertThat(l.last.messages()).containsExactly(new BranchRequest("inventory", BranchCommand.TRY, Phase.STEP, null, 2));
        assertThat(l.last.timers()).containsExactly(new TimerRequest(Kind.STEP, "inventory", 5_000));

        // a duplicate of the first attempt's BUSY changes nothing; the other saga's lock is gone: the try is granted
        l.step(new CoordinatorInput.Busy("inventory", Phase.STEP, 1, "held"));
        assertThat(l.last.timers()).isEmpty();
        l.step(new Acknowledged("inventory", Phase.STEP, true, null));
        assertThat(l.recipients()).containsExactly("payment");
    }

    @Test
    void aLockingStepStillBusyAfterTheLockWaitFailsAndIsCancelledLikeAnyLostStep() {
        Transcript l = inventoryBusy();
        l.step(new TimerFired(Kind.LOCK_WAIT, "inventory"));

        DecisionRecord abort = (DecisionRecord) l.lastRecords.get(0);
        assertThat(abort.decision()).isEqualTo(Decision.ABORT);
        assertThat(abort.reason()).contains("waited 5000 ms for semantic locks");
        // a duplicate of an earlier try may still have reserved: inventory gets CANCEL (empty if nothing was held)
        l.logged();
        assertThat(l.last.messages()).containsExactly(
                new BranchRequest("inventory", BranchCommand.CANCEL, Phase.COMPENSATION, abort.reason(), 1));
        l.step(new Acknowledged("inventory", Phase.COMPENSATION, true, null));
        assertThat(l.commands()).containsExactly(BranchCommand.COMPENSATE); // order took no lock
    }

    @Test
    void aNewLeaderThatFindsTheCommitOfALockingSagaConfirmsItsLockedStepsBeforeTheEnd() {
        Transcript l = Transcript.recover(new RecoveredTransaction("tx-1", CommitProtocol.SAGA, THREE, false,
                Decision.COMMIT, null, Map.of(), Set.of("inventory")));
        l.start();
        assertThat(l.last.messages()).containsExactly(
                new BranchRequest("inventory", BranchCommand.CONFIRM, Phase.DECISION, null, 1));
        assertThat(l.lastRecords).isEmpty();
        l.step(new Acknowledged("inventory", Phase.DECISION, true, null));
        assertThat(l.lastRecords).containsExactly(new LogRecord.End("tx-1"));
    }

    @Test
    void onlyASagaTakesSemanticLocksAndOnlyOnItsOwnSteps() {
        assertThatThrownBy(() -> Coordinators.begin("tx-1", CommitProtocol.TWO_PHASE, THREE, Set.of("inventory"),
                Transcript.TIMING, new Random(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Coordinators.begin("tx-1", CommitProtocol.SAGA, THREE, Set.of("shipping"),
                Transcript.TIMING, new Random(1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stepsMustBeDistinct() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Coordinators.begin("tx-2",
                CommitProtocol.SAGA, List.of("order", "order"), Transcript.TIMING, new java.util.Random(1)));
    }
}
