package io.dtxlab.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Linearizability of registers (Herlihy and Wing 1990), checked the Wing-Gong-Lowe way. */
class LinearizableRegisterCheckerTest {

    private final LinearizableRegisterChecker checker = new LinearizableRegisterChecker();

    @Test
    void aReadAfterAWriteCompletedSeesIt() {
        History history = new Timeline().write("c1", "k", "1", 0, 10).read("c2", "k", "1", 20, 30).history();

        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void aStaleReadAfterANewerWriteCompletedIsCaughtAndNamed() {
        // given write 1, then write 2, then a read that still returns 1
        History history = new Timeline()
                .write("c1", "k", "1", 0, 10)
                .write("c1", "k", "2", 20, 30)
                .read("c2", "k", "1", 40, 50)
                .history();

        Verdict verdict = checker.check(history);

        // then the read is the operation that cannot be linearized, after both writes
        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        Finding finding = verdict.violations().get(0);
        assertThat(finding.key()).isEqualTo("k");
        assertThat(finding.operations()).extracting(Operation::describe).containsExactly(
                "#4 c2 read k -> ok \"1\" [0.000 ms .. 0.000 ms]",
                "#0 c1 write k \"1\" -> ok [0.000 ms .. 0.000 ms]",
                "#2 c1 write k \"2\" -> ok [0.000 ms .. 0.000 ms]");
        assertThat(finding.detail()).contains("longest linearizable prefix found (2 operations)")
                .endsWith("leaves the register at \"2\"");
    }

    @Test
    void concurrentWritesMayBeReadInEitherOrder() {
        Timeline both = new Timeline().write("c1", "k", "1", 0, 100).write("c2", "k", "2", 10, 90);

        assertThat(checker.check(both.read("c3", "k", "1", 110, 120).history()).valid()).isTrue();
        assertThat(checker.check(new Timeline().write("c1", "k", "1", 0, 100).write("c2", "k", "2", 10, 90)
                .read("c3", "k", "2", 110, 120).history()).valid()).isTrue();
    }

    @Test
    void onceBothConcurrentWritesCompletedTheRegisterCannotFlipBack() {
        History history = new Timeline().write("c1", "k", "1", 0, 100).write("c2", "k", "2", 10, 90)
                .read("c3", "k", "2", 110, 120)
                .read("c3", "k", "1", 130, 140)
                .history();

        Verdict verdict = checker.check(history);

        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.violations().get(0).operations().get(0).describe()).startsWith("#6 c3 read k -> ok \"1\"");
    }

    @Test
    void readsDuringAWriteMaySeeTheOldThenTheNewValueButNotTheNewThenTheOld() {
        Timeline base = new Timeline().write("c1", "k", "1", 0, 10).write("c1", "k", "2", 20, 100);

        assertThat(checker.check(new Timeline().write("c1", "k", "1", 0, 10).write("c1", "k", "2", 20, 100)
                .read("c2", "k", "1", 30, 40).read("c2", "k", "2", 50, 60).history()).valid()).isTrue();
        assertThat(checker.check(base.read("c2", "k", "2", 30, 40).read("c2", "k", "1", 50, 60).history()).valid())
                .isFalse();
    }

    @Test
    void anInfoWriteMayTakeEffectLongAfterItsClientGaveUp() {
        // given write 2 timed out at 30, and was first seen at 60
        History history = new Timeline()
                .write("c1", "k", "1", 0, 10)
                .info("c2", "write", "k", "2", 20, null, 30)
                .read("c3", "k", "1", 40, 50)
                .read("c3", "k", "2", 60, 70)
                .history();

        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void anInfoWriteThatTookEffectCannotBeUndone() {
        History history = new Timeline()
                .write("c1", "k", "1", 0, 10)
                .info("c2", "write", "k", "2", 20, null, 30)
                .read("c3", "k", "2", 40, 50)
                .read("c3", "k", "1", 60, 70)
                .history();

        assertThat(checker.check(history).validity()).isEqualTo(Validity.INVALID);
    }

    @Test
    void anInfoWriteMayNeverTakeEffect() {
        History history = new Timeline()
                .write("c1", "k", "1", 0, 10)
                .info("c2", "write", "k", "2", 20, null, 30)
                .read("c3", "k", "1", 40, 50)
                .read("c3", "k", "1", 1_000, 1_010)
                .history();

        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void anInfoCasMayHaveFoundAnotherValue() {
        History history = new Timeline()
                .write("c1", "k", "1", 0, 10)
                .info("c2", "cas", "k", List.of("7", "8"), 20, null, 30)
                .read("c3", "k", "1", 40, 50)
                .history();

        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void aFailedWriteNeverHappenedSoReadingItsValueIsCaught() {
        History history = new Timeline()
                .write("c1", "k", "1", 0, 10)
                .fail("c2", "write", "k", "2", 20, 30)
                .read("c3", "k", "2", 40, 50)
                .history();

        assertThat(checker.check(history).validity()).isEqualTo(Validity.INVALID);
    }

    @Test
    void anInfoReadSaysNothing() {
        History history = new Timeline()
                .write("c1", "k", "1", 0, 10)
                .info("c2", "read", "k", null, 20, "garbage", 30)
                .history();

        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void aKeyReadsAsMissingOnlyBeforeItsFirstWriteTookEffect() {
        assertThat(checker.check(new Timeline().read("c2", "k", null, 0, 5).write("c1", "k", "1", 10, 20)
                .history()).valid()).isTrue();
        assertThat(checker.check(new Timeline().write("c1", "k", "1", 0, 10).read("c2", "k", null, 20, 30)
                .history()).valid()).isFalse();
        assertThat(checker.check(new Timeline().write("c1", "k", "1", 0, 10).ok("c1", "delete", "k", null, 20, null,
                30).read("c2", "k", null, 40, 50).history()).valid()).isTrue();
    }

    @Test
    void aCasSwapsOnlyTheValueItExpects() {
        Timeline good = new Timeline().write("c1", "k", "1", 0, 10)
                .ok("c2", "cas", "k", List.of("1", "2"), 20, null, 30)
                .read("c3", "k", "2", 40, 50);
        assertThat(checker.check(good.history()).valid()).isTrue();

        History bad = new Timeline().write("c1", "k", "1", 0, 10)
                .ok("c2", "cas", "k", List.of("5", "2"), 20, null, 30)
                .history();
        Verdict verdict = checker.check(bad);
        assertThat(verdict.validity()).isEqualTo(Validity.INVALID);
        assertThat(verdict.violations().get(0).operations().get(0).f()).isEqualTo("cas");
    }

    @Test
    void eachKeyIsJudgedAloneAndOnlyTheBrokenOneIsNamed() {
        History history = new Timeline()
                .write("c1", "a", "1", 0, 10).read("c2", "a", "1", 20, 30)
                .write("c1", "b", "1", 40, 50).read("c2", "b", "9", 60, 70)
                .history();

        Verdict verdict = checker.check(history);

        assertThat(verdict.violations()).extracting(Finding::key).containsExactly("b");
        assertThat(verdict.violations().get(0).operations()).allMatch(op -> op.key().equals("b"));
    }

    @Test
    void aSearchThatRunsOutOfBudgetIsUnknownNeverValid() {
        // given many concurrent writes and a read, and a budget of a handful of steps
        Timeline timeline = new Timeline();
        for (int c = 0; c < 12; c++) {
            timeline.write("c" + c, "k", String.valueOf(c), 0, 100);
        }
        History history = timeline.read("r", "k", "3", 200, 210).history();

        Verdict verdict = new LinearizableRegisterChecker(5, NullNode.getInstance()).check(history);

        assertThat(verdict.validity()).isEqualTo(Validity.UNKNOWN);
        assertThat(verdict.notes()).extracting(Finding::rule).containsExactly("search budget");
        assertThat(checker.check(history).valid()).isTrue();
    }

    @Test
    void otherFunctionsAreNotRegisterOperations() {
        History history = new Timeline().ok("c1", "order", "SKU-1", "x", 0, "y", 10).history();

        assertThat(checker.check(history).valid()).isTrue();
    }
}
