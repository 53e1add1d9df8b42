package io.dtxlab.chaos.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.chaos.check.Finding;
import io.dtxlab.chaos.check.LinearizableRegisterChecker;
import io.dtxlab.chaos.check.LostWritesChecker;
import io.dtxlab.chaos.check.OrdersChecker;
import io.dtxlab.chaos.check.Validity;
import io.dtxlab.chaos.check.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mapping from the checkers' findings, by rule name, to the summary's fields. */
class SummaryTest {

    private static Finding finding(String rule, String key) {
        return new Finding(rule, key, "detail of " + rule);
    }

    private static Verdict verdict(String checker, List<Finding> violations, List<Finding> notes) {
        return Verdict.of(checker, violations, notes, true);
    }

    @Test
    void withoutVerdictsEveryFieldIsNullAndTheRunIsNotValid() {
        assertThat(Summary.of(List.of())).isEqualTo(new Summary(null, null, null, null, null, false));
    }

    @Test
    void mixedOutcomesCount2pcAnd3pcFindingsViolationsAndNotesButNotHalfDoneOrders() {
        Verdict orders = verdict(OrdersChecker.NAME,
                List.of(finding(OrdersChecker.MIXED_2PC, "tx-1"), finding(OrdersChecker.MIXED_3PC, "tx-2")),
                List.of(finding(OrdersChecker.MIXED_3PC, "tx-3"), finding(OrdersChecker.HALF_DONE, null)));

        Summary summary = Summary.of(List.of(orders));

        assertThat(summary.mixedOutcomes()).isEqualTo(3);
        assertThat(summary.conservation()).isTrue();
        assertThat(summary.inDoubtAfterHeal()).isZero();
        assertThat(summary.valid()).isFalse();
    }

    @Test
    void inDoubtAfterHealCountsTheInDoubtViolations() {
        Verdict orders = verdict(OrdersChecker.NAME, List.of(finding(OrdersChecker.IN_DOUBT, "tx-1"),
                finding(OrdersChecker.IN_DOUBT, "tx-2"), finding(OrdersChecker.CONFIRMED, "tx-3")), List.of());

        Summary summary = Summary.of(List.of(orders));

        assertThat(summary.inDoubtAfterHeal()).isEqualTo(2);
        assertThat(summary.mixedOutcomes()).isZero();
        assertThat(summary.conservation()).isTrue();
    }

    @Test
    void conservationFailsOnAnyRuleOfTheBooks() {
        for (String rule : List.of(OrdersChecker.STOCK, OrdersChecker.MONEY, OrdersChecker.OVERSELL,
                OrdersChecker.OVERDRAFT)) {
            Verdict orders = verdict(OrdersChecker.NAME, List.of(finding(rule, "SKU-00001")), List.of());

            assertThat(Summary.of(List.of(orders)).conservation()).as(rule).isFalse();
        }
    }

    @Test
    void lostAcknowledgedCountsWritesLostOutsideTheLedgerOnly() {
        Verdict lostWrites = verdict(LostWritesChecker.NAME, List.of(finding(LostWritesChecker.UNLEDGERED, "k1"),
                finding(LostWritesChecker.UNLEDGERED, "k2"), finding("the ledger lists only lost writes", "k3")),
                List.of(finding("lost writes", null)));

        Summary summary = Summary.of(List.of(lostWrites));

        assertThat(summary.lostAcknowledged()).isEqualTo(2);
        assertThat(summary.mixedOutcomes()).as("no orders checker").isNull();
        assertThat(summary.conservation()).isNull();
        assertThat(summary.inDoubtAfterHeal()).isNull();
        assertThat(summary.linearizable()).isNull();
    }

    @Test
    void aLedgerThatAccountsForEveryLossMeansNoneLost() {
        Verdict lostWrites = verdict(LostWritesChecker.NAME, List.of(), List.of(finding("lost writes", null)));

        assertThat(Summary.of(List.of(lostWrites)).lostAcknowledged()).isZero();
    }

    @Test
    void linearizableIsTrueFalseOrUnknownAsNull() {
        Verdict linearizable = verdict(LinearizableRegisterChecker.NAME, List.of(), List.of());
        Verdict broken = verdict(LinearizableRegisterChecker.NAME,
                List.of(finding(LinearizableRegisterChecker.LINEARIZABLE, "k1")), List.of());
        Verdict unfinished = Verdict.of(LinearizableRegisterChecker.NAME, List.of(),
                List.of(finding(LinearizableRegisterChecker.SEARCH_BUDGET, "k2")), false);

        assertThat(Summary.of(List.of(linearizable)).linearizable()).isTrue();
        assertThat(Summary.of(List.of(broken)).linearizable()).isFalse();
        assertThat(Summary.of(List.of(unfinished)).linearizable()).isNull();
        assertThat(Summary.of(List.of(unfinished)).valid()).as("UNKNOWN is not valid").isFalse();
        // one key broken, another unfinished: broken
        assertThat(Summary.of(List.of(broken, unfinished)).linearizable()).isFalse();
    }

    @Test
    void theRealCheckerFindingsMapToo() {
        Verdict verdict = new LinearizableRegisterChecker().check(SmallRun.HISTORY);

        assertThat(verdict.validity()).as(verdict.describe()).isEqualTo(Validity.INVALID);
        assertThat(Summary.of(List.of(verdict)).linearizable()).isFalse();
    }

    @Test
    void validOnlyWhenEveryVerdictIsValid() {
        Verdict orders = verdict(OrdersChecker.NAME, List.of(), List.of(finding("answers", null)));
        Verdict quorum = verdict("quorum", List.of(), List.of());
        Verdict brokenQuorum = verdict("quorum", List.of(finding("fresh read", "k1")), List.of());

        assertThat(Summary.of(List.of(orders, quorum))).isEqualTo(new Summary(0, null, true, 0, null, true));
        assertThat(Summary.of(List.of(orders, brokenQuorum)).valid()).isFalse();
    }

    @Test
    void countsAddUpOverTheVerdictsOfOneChecker() {
        Verdict first = verdict(OrdersChecker.NAME, List.of(finding(OrdersChecker.MIXED_2PC, "tx-1")), List.of());
        Verdict second = verdict(OrdersChecker.NAME, List.of(finding(OrdersChecker.MIXED_2PC, "tx-9"),
                finding(OrdersChecker.IN_DOUBT, "tx-8")), List.of());

        Summary summary = Summary.of(List.of(first, second));

        assertThat(summary.mixedOutcomes()).isEqualTo(2);
        assertThat(summary.inDoubtAfterHeal()).isEqualTo(1);
    }

    @Test
    void theReportSummarisesItsVerdicts() {
        assertThat(SmallRun.report().summary()).isEqualTo(new Summary(0, null, true, 0, false, false));
    }
}
