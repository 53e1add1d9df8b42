package io.dtxlab.core.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EpochHistoryTest {

    private static LogEntry entry(long index, long epoch) {
        return new LogEntry(index, epoch, Op.PUT, "k" + index, "v", ReplicationMode.ASYNC, index, false);
    }

    private static final EpochHistory AFTER_FAILOVER = EpochHistory.initial("replica-1")
            .with(new EpochHistory.Epoch(2, "replica-2", 6));

    @Test
    void theOldMastersWritesAfterTheForkHaveDivergedAndAreListedExactly() {
        // given replica-1 wrote 1..8 in epoch 1, and replica-2 took over at index 6 in epoch 2
        List<LogEntry> oldMasterTail = List.of(entry(4, 1), entry(5, 1), entry(6, 1), entry(7, 1), entry(8, 1));

        // then 6, 7 and 8 never reached the new master
        assertThat(AFTER_FAILOVER.divergent(oldMasterTail)).extracting(LogEntry::index).containsExactly(6L, 7L, 8L);
        assertThat(AFTER_FAILOVER.lastIndexOf(1)).isEqualTo(5);
        assertThat(AFTER_FAILOVER.lastIndexOf(2)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aLogThatFollowedTheNewMasterHasNotDiverged() {
        assertThat(AFTER_FAILOVER.divergent(List.of(entry(5, 1), entry(6, 2), entry(7, 2)))).isEmpty();
    }

    @Test
    void aSlaveTakesAnOldEpochEntryTheHistoryOwnsAndRefusesOneWrittenAfterTheFork() {
        assertThat(EpochFence.check(AFTER_FAILOVER, entry(5, 1))).isEqualTo(EpochFence.Verdict.ACCEPT);
        assertThat(EpochFence.check(AFTER_FAILOVER, entry(6, 1))).isEqualTo(EpochFence.Verdict.STALE);
        assertThat(EpochFence.check(AFTER_FAILOVER, entry(6, 2))).isEqualTo(EpochFence.Verdict.ACCEPT);
        assertThat(EpochFence.check(AFTER_FAILOVER, entry(9, 3))).isEqualTo(EpochFence.Verdict.NEWER_EPOCH);
    }

    @Test
    void messagesOfAnOlderEpochAreStale() {
        assertThat(EpochFence.check(2, 1)).isEqualTo(EpochFence.Verdict.STALE);
        assertThat(EpochFence.check(2, 2)).isEqualTo(EpochFence.Verdict.ACCEPT);
        assertThat(EpochFence.check(2, 3)).isEqualTo(EpochFence.Verdict.NEWER_EPOCH);
    }

    @Test
    void epochsOnlyGrow() {
        assertThatThrownBy(() -> AFTER_FAILOVER.with(new EpochHistory.Epoch(2, "replica-3", 9)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EpochHistory.of(List.of(new EpochHistory.Epoch(1, "a", 5), new EpochHistory.Epoch(2, "b", 3))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
