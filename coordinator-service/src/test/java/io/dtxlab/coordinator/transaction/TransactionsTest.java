package io.dtxlab.coordinator.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.contract.BranchSpec;
import io.dtxlab.coordinator.CoordinatorProperties;
import io.dtxlab.core.commit.CommitProtocol;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Which finished transactions a coordinator keeps in memory: a logged one (2PC, 3PC, TCC, saga) until its timeline is
 * in the H2 file, and then only among the newest {@link Transactions#STORED_KEPT}, since the log and the file answer for
 * it; a NONE one, which only memory holds, among the newest {@code keep-recent}.
 */
class TransactionsTest {

    private static final int KEEP_RECENT = 300;

    private final Transactions transactions = new Transactions(new Binder(new MapConfigurationPropertySource(
            Map.of("dtx.coordinator.keep-recent", String.valueOf(KEEP_RECENT))))
            .bindOrCreate("dtx.coordinator", CoordinatorProperties.class), new SimpleMeterRegistry());

    @Test
    void aLoggedRunLeavesMemoryOnceItsTimelineIsStoredAndNewerOnesFill() {
        List<TransactionRun> runs = finish(CommitProtocol.TWO_PHASE, Transactions.STORED_KEPT + 50);
        assertThat(transactions.find("tx-0")).as("not stored yet: memory is all that shows its timeline").isNotNull();

        runs.forEach(TransactionRun::markTimelineStored);
        finish(CommitProtocol.TWO_PHASE, "tx-next");

        assertThat(transactions.find("tx-0")).as("stored: the log and the H2 file answer for it").isNull();
        assertThat(transactions.finishedLately("tx-0")).as("a begin still waiting for it is answered from the log")
                .isTrue();
        assertThat(transactions.find("tx-50")).as("the oldest of the newest kept").isNull();
        assertThat(transactions.find("tx-51")).isNotNull();
        assertThat(transactions.find("tx-next")).isNotNull();
    }

    @Test
    void runsWhoseTimelinesAreNeverStoredStopAtKeepRecent() {
        finish(CommitProtocol.THREE_PHASE, KEEP_RECENT + 10);

        assertThat(transactions.find("tx-9")).isNull();
        assertThat(transactions.find("tx-10")).isNotNull();
    }

    @Test
    void aNoneRunStaysAmongTheNewestKeepRecentStoredOrNot() {
        List<TransactionRun> runs = finish(CommitProtocol.NONE, Transactions.STORED_KEPT + 50);
        runs.forEach(TransactionRun::markTimelineStored);
        finish(CommitProtocol.NONE, "tx-next");

        assertThat(transactions.find("tx-0")).as("NONE logs nothing: only memory knows it").isNotNull();
        assertThat(transactions.findFinished("tx-0")).isNotNull();
        assertThat(transactions.finishedLately("tx-0")).as("no log to answer from").isFalse();
    }

    private List<TransactionRun> finish(CommitProtocol protocol, int count) {
        return IntStream.range(0, count).mapToObj(i -> finish(protocol, "tx-" + i)).toList();
    }

    private TransactionRun finish(CommitProtocol protocol, String xid) {
        Clock clock = Clock.systemUTC();
        TransactionRun run = new TransactionRun(xid, protocol, List.of(new BranchSpec("inventory", null)),
                "coordinator-1", 1, clock, clock.instant());
        transactions.add(run);
        transactions.finish(run);
        return run;
    }
}
