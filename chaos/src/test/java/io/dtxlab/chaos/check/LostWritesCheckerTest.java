package io.dtxlab.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.chaos.check.ReplicationSnapshot.LogEntry;
import io.dtxlab.chaos.check.ReplicationSnapshot.LostWrite;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.JsonLines;
import io.dtxlab.chaos.history.Operation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ASYNC replication: the writes a failover lost are exactly the lost-writes ledger. */
class LostWritesCheckerTest {

    /**
     * Given: replica-1, master of epoch 1, acknowledged v1 (index 1), v2 (2) and v3 (3); it was killed before v3
     * reached a slave; replica-2 became master of epoch 2 at index 3 and acknowledged v4 there.
     */
    private static Timeline failover() {
        return new Timeline()
                .ok("c1", "write", "k", "v1", 0, receipt(1, 1), 10)
                .ok("c1", "write", "k", "v2", 20, receipt(1, 2), 30)
                .ok("c2", "write", "j", "v3", 40, receipt(1, 3), 50)
                .fault("kill replica-1", 60, 200)
                .ok("c1", "write", "k", "v4", 300, receipt(2, 3), 310);
    }

    private static final List<LogEntry> SURVIVING = List.of(entry(1, 1, "k", "v1"), entry(1, 2, "k", "v2"),
            entry(2, 3, "k", "v4"));

    @Test
    void aLostWriteInTheLedgerIsTheTradeOfAsyncNotAViolation() {
        Verdict verdict = new LostWritesChecker(new ReplicationSnapshot(SURVIVING,
                List.of(new LostWrite(1, 3, "PUT", "j", "v3")), List.of())).check(failover().history());

        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.notes()).extracting(Finding::detail)
                .containsExactly("1 acknowledged write lost in failovers, 1 in the ledger");
    }

    @Test
    void aWriteLostSilentlyIsCaughtAndNamed() {
        Verdict verdict = new LostWritesChecker(new ReplicationSnapshot(SURVIVING, List.of(), List.of()))
                .check(failover().history());

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        Finding finding = verdict.violations("every lost write is in the ledger").get(0);
        assertThat(finding.key()).isEqualTo("j");
        assertThat(finding.detail()).startsWith("acknowledged at epoch 1 index 3");
        assertThat(finding.operations()).extracting(Operation::request).containsExactly(JsonLines.value("v3"));
    }

    @Test
    void aLedgerThatListsAWriteThatSurvivedIsCaught() {
        Verdict verdict = new LostWritesChecker(new ReplicationSnapshot(SURVIVING, List.of(
                new LostWrite(1, 3, "PUT", "j", "v3"), new LostWrite(1, 2, "PUT", "k", "v2")), List.of()))
                .check(failover().history());

        assertThat(verdict.violations()).extracting(Finding::rule, Finding::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("the ledger lists only lost writes", "k"));
        assertThat(verdict.violations().get(0).operations()).extracting(Operation::request)
                .containsExactly(JsonLines.value("v2"));
    }

    @Test
    void aLedgerEntryOfAWriteWhoseClientNeverHeardBackIsANote() {
        History history = failover().info("c3", "write", "j", "v5", 70, null, 80).history();
        Verdict verdict = new LostWritesChecker(new ReplicationSnapshot(SURVIVING, List.of(
                new LostWrite(1, 3, "PUT", "j", "v3"), new LostWrite(1, 4, "PUT", "j", "v5")), List.of()))
                .check(history);

        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.notes()).hasSize(2);
        assertThat(verdict.notes().get(1).detail()).startsWith("1 write of unknown outcome");
    }

    @Test
    void aLedgerEntryNoClientWroteIsCaught() {
        Verdict verdict = new LostWritesChecker(new ReplicationSnapshot(SURVIVING, List.of(
                new LostWrite(1, 3, "PUT", "j", "v3"), new LostWrite(1, 4, "PUT", "x", "ghost")), List.of()))
                .check(failover().history());

        assertThat(verdict.violations()).singleElement().extracting(Finding::detail).asString()
                .contains("PUT x = ghost at epoch 1 index 4");
    }

    @Test
    void aWriteToldFailedMustNotBeInTheLog() {
        History history = failover().fail("c3", "write", "k", "v9", 320, 330).history();
        List<LogEntry> log = new java.util.ArrayList<>(SURVIVING);
        log.add(entry(2, 4, "k", "v9"));

        Verdict verdict = new LostWritesChecker(new ReplicationSnapshot(log,
                List.of(new LostWrite(1, 3, "PUT", "j", "v3")), List.of())).check(history);

        assertThat(verdict.violations()).extracting(Finding::rule).containsExactly("a failed write never happened");
    }

    @Test
    void anUndoneEntryDidNotSurvive() {
        List<LogEntry> log = List.of(entry(1, 1, "k", "v1"), new LogEntry(2, 1, "PUT", "k", "v2", true),
                entry(2, 3, "k", "v4"));

        Verdict verdict = new LostWritesChecker(new ReplicationSnapshot(log,
                List.of(new LostWrite(1, 3, "PUT", "j", "v3")), List.of())).check(failover().history());

        assertThat(verdict.violations("every lost write is in the ledger")).extracting(Finding::key)
                .containsExactly("k");
    }

    @Test
    void anUnreconciledFailoverLeavesTheVerdictUnknown() {
        Verdict verdict = new LostWritesChecker(new ReplicationSnapshot(SURVIVING,
                List.of(new LostWrite(1, 3, "PUT", "j", "v3")), List.of("writes replica-1 made after index 2 are "
                        + "lost; they are listed when it rejoins"))).check(failover().history());

        assertThat(verdict.validity()).isEqualTo(Validity.UNKNOWN);
    }

    @Test
    void theSnapshotReadsTheServicesJson() {
        LostWrite lost = JsonLines.convert(JsonLines.value(Map.of("epoch", 1, "index", 3, "op", "PUT", "key", "j",
                "value", "v3", "mode", "ASYNC", "writtenBy", "replica-1", "how", "DIVERGED_ON_REJOIN")), LostWrite.class);

        assertThat(lost).isEqualTo(new LostWrite(1, 3, "PUT", "j", "v3"));
    }

    @Test
    void anAcknowledgedWriteWithoutItsReceiptIsARunnersMistake() {
        History history = new Timeline().ok("c1", "write", "k", "v1", 0, null, 10).history();

        assertThatThrownBy(() -> new LostWritesChecker(new ReplicationSnapshot(List.of(), List.of(), List.of()))
                .check(history)).hasMessageContaining("receipt").hasMessageContaining("#0 c1 write k");
    }

    private static Map<String, Object> receipt(long epoch, long index) {
        return Map.of("epoch", epoch, "index", index, "mode", "ASYNC");
    }

    private static LogEntry entry(long epoch, long index, String key, String value) {
        return new LogEntry(index, epoch, "PUT", key, value, false);
    }
}
