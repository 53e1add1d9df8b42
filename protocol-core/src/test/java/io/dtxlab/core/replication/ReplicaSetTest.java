package io.dtxlab.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaSetTest {

    private static final ReplicationSettings SYNC_REJECT = new ReplicationSettings(ReplicationMode.SYNC, SyncFailurePolicy.REJECT, 1, 1000);
    private static final ReplicationSettings SYNC_DEGRADE = new ReplicationSettings(ReplicationMode.SYNC, SyncFailurePolicy.DEGRADE, 1, 1000);
    private static final ReplicationSettings SEMI_K1 = new ReplicationSettings(ReplicationMode.SEMI_SYNC, SyncFailurePolicy.REJECT, 1, 1000);
    private static final ReplicationSettings ASYNC = new ReplicationSettings(ReplicationMode.ASYNC, SyncFailurePolicy.REJECT, 1, 1000);

    private static ReplicaSet inSyncAt(long index) {
        ReplicaSet set = new ReplicaSet(List.of("replica-2", "replica-3"), 0, 3000, 5000);
        set.caughtUp("replica-2", index, index, 0);
        set.caughtUp("replica-3", index, index, 0);
        return set;
    }

    @Test
    void aSlaveNotHeardFromYetDoesNotCountSoSyncRejectRefusesUntilItCaughtUp() {
        // given a fresh master that has not heard its slaves
        ReplicaSet set = new ReplicaSet(List.of("replica-2", "replica-3"), 0, 3000, 5000);

        // then SYNC with REJECT refuses, naming the slave
        assertThat(set.plan(SYNC_REJECT).refusal()).contains("replica-2").contains("not heard from yet");

        // when both catch up, writes go to both and need both
        set.caughtUp("replica-2", 0, 0, 10);
        set.caughtUp("replica-3", 0, 0, 10);
        WritePlan plan = set.plan(SYNC_REJECT);
        assertThat(plan.isRefused()).isFalse();
        assertThat(plan.targets()).containsExactly("replica-2", "replica-3");
        assertThat(plan.acksNeeded()).isEqualTo(2);
    }

    @Test
    void syncWithRejectUndoesAWriteOneSlaveFailedAndTellsTheOthersToUndoIt() {
        ReplicaSet set = inSyncAt(4);
        WritePlan plan = set.plan(SYNC_REJECT);

        WriteOutcome outcome = set.decide(plan, SYNC_REJECT, List.of("replica-2"), Map.of("replica-3", "UNREACHABLE"), 5, 100);

        assertThat(outcome.committed()).isFalse();
        assertThat(outcome.undoOn()).containsExactly("replica-2");
        assertThat(outcome.failure()).contains("replica-3");
        // and the next write is refused before it is written
        assertThat(set.plan(SYNC_REJECT).refusal()).contains("replica-3");
    }

    @Test
    void syncWithDegradeCommitsWithTheRestAndStopsWaitingForTheFailedSlave() {
        ReplicaSet set = inSyncAt(4);

        WriteOutcome outcome = set.decide(set.plan(SYNC_DEGRADE), SYNC_DEGRADE, List.of("replica-2"),
                Map.of("replica-3", "TIMEOUT"), 5, 100);

        assertThat(outcome.committed()).isTrue();
        assertThat(outcome.degraded()).isTrue();
        assertThat(outcome.degradedReason()).contains("replica-3");
        WritePlan next = set.plan(SYNC_DEGRADE);
        assertThat(next.targets()).containsExactly("replica-2");
        assertThat(next.isDegraded()).isTrue();

        // when replica-3 answers again and catches up to the last index, it counts again
        set.onContact("replica-3", 3, 200);
        assertThat(set.needCatchUp(200)).containsExactly("replica-3");
        assertThat(set.caughtUp("replica-3", 5, 6, 210)).isFalse();
        assertThat(set.caughtUp("replica-3", 6, 6, 220)).isTrue();
        assertThat(set.plan(SYNC_DEGRADE).targets()).containsExactly("replica-2", "replica-3");
    }

    @Test
    void semiSyncDegradesToAsyncAfterTheTimeoutAndReturnsOnceKSlavesCaughtUp() {
        ReplicaSet set = inSyncAt(4);
        ReplicationSettings k2 = new ReplicationSettings(ReplicationMode.SEMI_SYNC, SyncFailurePolicy.REJECT, 2, 500);
        WritePlan plan = set.plan(k2);
        assertThat(plan.acksNeeded()).isEqualTo(2);

        // when only one of k=2 acks arrives before the timeout
        WriteOutcome outcome = set.decide(plan, k2, List.of("replica-2"), Map.of(), 5, 600);

        // then the write stands, degraded, and the next writes go async
        assertThat(outcome.committed()).isTrue();
        assertThat(outcome.degraded()).isTrue();
        assertThat(outcome.degradedReason()).contains("1 of k=2");
        WritePlan degraded = set.plan(k2);
        assertThat(degraded.mode()).isEqualTo(ReplicationMode.ASYNC);
        assertThat(degraded.publishToKafka()).isTrue();

        // when the slow slave has caught up, semi-sync is back
        set.onContact("replica-2", 6, 700);
        assertThat(set.tick(700, 6, k2)).isEmpty();
        set.onContact("replica-3", 6, 800);
        assertThat(set.tick(800, 6, k2)).anyMatch(line -> line.contains("semi-sync restored"));
        assertThat(set.plan(k2).mode()).isEqualTo(ReplicationMode.SEMI_SYNC);
    }

    @Test
    void semiSyncWithFewerInSyncSlavesThanKDegradesAtOnce() {
        ReplicaSet set = inSyncAt(1);
        set.markOutOfSync("replica-3", "crashed");
        ReplicationSettings k2 = new ReplicationSettings(ReplicationMode.SEMI_SYNC, SyncFailurePolicy.REJECT, 2, 500);

        WritePlan plan = set.plan(k2);

        assertThat(plan.mode()).isEqualTo(ReplicationMode.ASYNC);
        assertThat(plan.degradedReason()).contains("only 1 slave(s) in sync for k=2");
    }

    @Test
    void semiSyncWithKAcksIsNotDegraded() {
        ReplicaSet set = inSyncAt(1);
        WriteOutcome outcome = set.decide(set.plan(SEMI_K1), SEMI_K1, List.of("replica-3"), Map.of(), 2, 10);
        assertThat(outcome.committed()).isTrue();
        assertThat(outcome.degraded()).isFalse();
        assertThat(outcome.acked()).containsExactly("replica-3");
    }

    @Test
    void asyncWritesGoToKafkaAndASlaveThatStallsWhileBehindGoesOutOfSync() {
        ReplicaSet set = inSyncAt(1);
        WritePlan plan = set.plan(ASYNC);
        assertThat(plan.publishToKafka()).isTrue();
        assertThat(plan.targets()).isEmpty();

        // both have index 1 at t=1000; then the master is at 3, replica-2 keeps up and replica-3 stays at 1
        set.onContact("replica-2", 1, 1000);
        set.onContact("replica-3", 1, 1000);
        assertThat(set.tick(1000, 1, ASYNC)).isEmpty();
        set.onContact("replica-3", 1, 5500);
        set.onContact("replica-2", 3, 5500);
        assertThat(set.tick(5500, 3, ASYNC)).isEmpty();
        set.onContact("replica-3", 1, 6100);
        set.onContact("replica-2", 3, 6100);
        assertThat(set.tick(6100, 3, ASYNC)).singleElement().asString().contains("replica-3").contains("no progress");
        assertThat(set.needCatchUp(6100)).containsExactly("replica-3");
    }

    @Test
    void aSlaveSilentForTheContactTimeoutGoesOutOfSync() {
        ReplicaSet set = inSyncAt(1);
        set.onContact("replica-2", 1, 4000);
        List<String> changes = set.tick(4000, 1, SYNC_REJECT);
        assertThat(changes).singleElement().asString().contains("replica-3");
        assertThat(set.view(4000)).filteredOn(v -> v.node().equals("replica-3"))
                .singleElement().satisfies(v -> assertThat(v.reachable()).isFalse());
    }

    @Test
    void switchingToASynchronousModeTakesSlavesThatLagBehindOutOfSyncUntilTheyCaughtUp() {
        // given ASYNC, replica-3 at 3 while the master is at 5
        ReplicaSet set = inSyncAt(3);
        set.onContact("replica-2", 5, 10);

        // when the master switches to SYNC
        assertThat(set.requireCaughtUp(5)).containsExactly("replica-3");

        // then SYNC with DEGRADE does not wait for it, and with REJECT writes wait for its catch-up
        assertThat(set.plan(SYNC_DEGRADE).targets()).containsExactly("replica-2");
        assertThat(set.plan(SYNC_REJECT).refusal()).contains("replica-3").contains("behind at 3 of 5");
        set.onContact("replica-3", 3, 20);
        assertThat(set.needCatchUp(20)).containsExactly("replica-3");
    }
}
