package io.dtxlab.chaos.check;

import static io.dtxlab.chaos.check.OrdersSnapshot.BranchOutcome.ABORTED;
import static io.dtxlab.chaos.check.OrdersSnapshot.BranchOutcome.COMMITTED;
import static io.dtxlab.chaos.check.OrdersSnapshot.BranchOutcome.COMPENSATED;
import static io.dtxlab.chaos.check.OrdersSnapshot.BranchOutcome.IN_DOUBT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.chaos.check.OrdersSnapshot.Account;
import io.dtxlab.chaos.check.OrdersSnapshot.BranchOutcome;
import io.dtxlab.chaos.check.OrdersSnapshot.Charge;
import io.dtxlab.chaos.check.OrdersSnapshot.Stock;
import io.dtxlab.chaos.check.OrdersSnapshot.StockMove;
import io.dtxlab.chaos.check.OrdersSnapshot.Transaction;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Operation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Atomic commitment over order, inventory and payment. Given: SKU-00001 has 100 units and cust-00001 1000.00; every
 * order is 2 units at 1.00.
 */
class OrdersCheckerTest {

    private final Timeline timeline = new Timeline();
    private final List<Transaction> transactions = new ArrayList<>();
    private final Map<String, Stock> stockAtEnd = new LinkedHashMap<>(Map.of("SKU-00001", new Stock(100, 0)));
    private final Map<String, Account> accountsAtEnd = new LinkedHashMap<>(Map.of(
            "cust-00001", account("1000.00")));

    @Test
    void confirmedAndRejectedOrdersThatKeepTheBooksPass() {
        order("c1", "tx-1", "2PC", "CONFIRMED", 0, 10, COMMITTED, COMMITTED, COMMITTED);
        order("c2", "tx-2", "2PC", "REJECTED", 0, 10, ABORTED, ABORTED, ABORTED);
        stockAtEnd.put("SKU-00001", new Stock(98, 0));
        accountsAtEnd.put("cust-00001", account("998.00"));

        Verdict verdict = check();

        assertThat(verdict.valid()).as(verdict.describe()).isTrue();
        assertThat(verdict.notes("answers")).extracting(Finding::detail)
                .containsExactly("2 orders: {CONFIRMED=1, REJECTED=1}");
    }

    @Test
    void aMixedOutcomeUnder2pcIsCaughtAndNamed() {
        // given inventory committed its part of tx-1 but payment aborted
        order("c1", "tx-1", "2PC", "CONFIRMED", 0, 10, COMMITTED, COMMITTED, ABORTED);
        stockAtEnd.put("SKU-00001", new Stock(98, 0));

        Verdict verdict = check();

        assertThat(verdict.violations()).extracting(Finding::rule).containsExactly(OrdersChecker.MIXED_2PC);
        Finding mixed = verdict.violations().get(0);
        assertThat(mixed.key()).isEqualTo("tx-1");
        assertThat(mixed.detail()).isEqualTo("committed on [inventory, order], not on [payment] (answered CONFIRMED)");
        assertThat(mixed.operations()).extracting(Operation::process).containsExactly("c1");
    }

    @Test
    void aMixedOutcomeUnderTccIsAViolationAsUnder2pc() {
        // given payment confirmed its try of tx-1 but inventory cancelled its own
        order("c1", "tx-1", "TCC", "REJECTED", 0, 10, ABORTED, ABORTED, COMMITTED);
        accountsAtEnd.put("cust-00001", account("998.00"));

        Verdict verdict = check();

        assertThat(verdict.violations()).extracting(Finding::rule).containsExactly(OrdersChecker.MIXED_TCC);
        assertThat(verdict.violations().get(0).detail())
                .isEqualTo("committed on [payment], not on [inventory, order] (answered REJECTED)");
    }

    @Test
    void aSagaThatCompensatedEveryStepItAppliedTookNothing() {
        // given payment refused tx-1's step: order and inventory applied theirs and were compensated
        order("c1", "tx-1", "SAGA", "REJECTED", 0, 10, COMPENSATED, COMPENSATED, ABORTED);
        // and tx-2 ran every step
        order("c2", "tx-2", "SAGA", "CONFIRMED", 0, 10, COMMITTED, COMMITTED, COMMITTED);
        stockAtEnd.put("SKU-00001", new Stock(98, 0));
        accountsAtEnd.put("cust-00001", account("998.00"));

        Verdict verdict = check();

        assertThat(verdict.valid()).as(verdict.describe()).isTrue();
    }

    @Test
    void aSagaLeftHalfCompensatedIsAViolationAndItsStockCountsAsTaken() {
        // given tx-1's order step was compensated but its inventory step never was, and the stock stayed taken
        order("c1", "tx-1", "SAGA", "REJECTED", 0, 10, COMPENSATED, COMMITTED, ABORTED);
        stockAtEnd.put("SKU-00001", new Stock(98, 0));

        Verdict verdict = check();

        assertThat(verdict.violations()).extracting(Finding::rule).containsExactly(OrdersChecker.SAGA_HALF_DONE);
        assertThat(verdict.violations().get(0).detail()).isEqualTo("committed on [inventory], not on [order, "
                + "payment] (answered REJECTED): its compensations never finished");
        assertThat(verdict.violations(OrdersChecker.STOCK)).isEmpty();
    }

    @Test
    void aMixedOutcomeUnder3pcIsMatchedToTheFaultInEffect() {
        timeline.fault("partition [payment] | [rest]", 5, 50);
        order("c1", "tx-1", "3PC", "CONFIRMED", 0, 10, COMMITTED, COMMITTED, ABORTED);
        stockAtEnd.put("SKU-00001", new Stock(98, 0));

        Verdict verdict = check();

        assertThat(verdict.valid()).as(verdict.describe()).isTrue();
        assertThat(verdict.notes(OrdersChecker.MIXED_3PC)).singleElement().extracting(Finding::detail).asString()
                .endsWith("during [partition [payment] | [rest] [0.000 ms .. 0.000 ms]]");
    }

    @Test
    void aMixedOutcomeUnder3pcAfterAFaultEndedIsMatchedToTheLastOneThatEnded() {
        timeline.fault("kill coordinator-1", 0, 5_000_000).fault("pause inventory", 6_000_000, 7_000_000);
        order("c1", "tx-1", "3PC", "REJECTED", 8_000_000, 9_000_000, ABORTED, COMMITTED, ABORTED);
        stockAtEnd.put("SKU-00001", new Stock(98, 0));

        Finding note = check().notes(OrdersChecker.MIXED_3PC).get(0);

        assertThat(note.detail()).contains("pause inventory").doesNotContain("kill coordinator-1");
    }

    @Test
    void aMixedOutcomeUnder3pcWithNoFaultIsAViolation() {
        order("c1", "tx-1", "3PC", "CONFIRMED", 0, 10, COMMITTED, COMMITTED, ABORTED);
        stockAtEnd.put("SKU-00001", new Stock(98, 0));

        assertThat(check().violations()).extracting(Finding::rule).containsExactly(OrdersChecker.MIXED_3PC);
    }

    @Test
    void halfDoneOrdersUnderNoneAreCountedNotFailed() {
        order("c1", "tx-1", "NONE", "REJECTED", 0, 10, COMMITTED, COMMITTED, ABORTED);
        order("c2", "tx-2", "NONE", "REJECTED", 20, 30, COMMITTED, ABORTED, COMMITTED);
        stockAtEnd.put("SKU-00001", new Stock(98, 0));
        accountsAtEnd.put("cust-00001", account("998.00"));

        Verdict verdict = check();

        assertThat(verdict.valid()).as(verdict.describe()).isTrue();
        assertThat(verdict.notes(OrdersChecker.HALF_DONE)).singleElement().extracting(Finding::detail).asString()
                .startsWith("2 orders half done");
    }

    @Test
    void aConfirmedOrderThatNoParticipantKnowsIsCaught() {
        timeline.ok("c1", "order", null, request("cust-00001", "2PC"), 0, answer("tx-9", "CONFIRMED"), 10);

        Verdict verdict = check();

        assertThat(verdict.violations(OrdersChecker.CONFIRMED)).singleElement().extracting(Finding::key)
                .isEqualTo("tx-9");
    }

    @Test
    void aConfirmedOrderWhoseBranchesAllAbortedIsCaught() {
        order("c1", "tx-1", "2PC", "CONFIRMED", 0, 10, ABORTED, ABORTED, ABORTED);

        assertThat(check().violations(OrdersChecker.CONFIRMED)).extracting(Finding::detail)
                .containsExactly("answered CONFIRMED, but no branch committed");
    }

    @Test
    void aRejectedOrderThatCommittedEverywhereIsCaught() {
        order("c1", "tx-1", "2PC", "REJECTED", 0, 10, COMMITTED, COMMITTED, COMMITTED);
        stockAtEnd.put("SKU-00001", new Stock(98, 0));
        accountsAtEnd.put("cust-00001", account("998.00"));

        assertThat(check().violations()).extracting(Finding::rule).containsExactly(OrdersChecker.REJECTED);
    }

    @Test
    void aBranchStillInDoubtIsCaught() {
        order("c1", "tx-1", "2PC", null, 0, 10, COMMITTED, IN_DOUBT, COMMITTED);
        stockAtEnd.put("SKU-00001", new Stock(98, 2));
        accountsAtEnd.put("cust-00001", account("998.00"));

        Verdict verdict = check();

        assertThat(verdict.violations()).extracting(Finding::rule).containsExactly(OrdersChecker.IN_DOUBT);
        assertThat(verdict.violations().get(0).detail()).isEqualTo("2PC branches still in doubt on [inventory] "
                + "(answered UNKNOWN)");
    }

    @Test
    void stockOrMoneyThatMovedWithoutACommittedBranchIsCaught() {
        // given one confirmed order of 2 units, yet 3 units and 3.00 are gone
        order("c1", "tx-1", "2PC", "CONFIRMED", 0, 10, COMMITTED, COMMITTED, COMMITTED);
        stockAtEnd.put("SKU-00001", new Stock(97, 0));
        accountsAtEnd.put("cust-00001", account("997.00"));

        Verdict verdict = check();

        assertThat(verdict.violations()).extracting(Finding::rule, Finding::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple(OrdersChecker.STOCK, "SKU-00001"),
                org.assertj.core.groups.Tuple.tuple(OrdersChecker.MONEY, "cust-00001"));
        assertThat(verdict.violations().get(0).detail()).isEqualTo("available + reserved fell by 3 (100 available, "
                + "0 reserved -> 97 available, 0 reserved), but committed orders took 2");
    }

    @Test
    void stockBelowZeroIsAnOversell() {
        for (int i = 0; i < 51; i++) {
            order("c" + i, "tx-" + i, "2PC", "CONFIRMED", i * 100L, i * 100L + 10, COMMITTED, COMMITTED, COMMITTED);
        }
        stockAtEnd.put("SKU-00001", new Stock(-2, 0));
        accountsAtEnd.put("cust-00001", account("898.00"));

        assertThat(check().violations()).extracting(Finding::rule).containsExactly(OrdersChecker.OVERSELL);
    }

    @Test
    void anOrderWhoseClientTimedOutIsFoundByItsRequestAndMatchedToTheFault() {
        // given the client gave up on a 3PC order without learning its xid, during a partition
        timeline.fault("partition [payment] | [rest]", 5, 50);
        timeline.info("c1", "order", null, request("cust-00001", "3PC"), 0, null, 20);
        transactions.add(tx("tx-1", "3PC", "cust-00001", COMMITTED, COMMITTED, ABORTED));
        stockAtEnd.put("SKU-00001", new Stock(98, 0));

        Verdict verdict = check();

        assertThat(verdict.valid()).as(verdict.describe()).isTrue();
        Finding note = verdict.notes(OrdersChecker.MIXED_3PC).get(0);
        assertThat(note.operations()).extracting(Operation::process).containsExactly("c1");
        assertThat(note.detail()).contains("(answered UNKNOWN), during [partition");
    }

    @Test
    void anOrderOfUnknownOutcomeIsLinkedByTheXidItsKeyWasAnsweredWithWhenItsRequestIsNotEnough() {
        // given two clients gave up on the same request; sent again after the run, c2's key was answered tx-2
        Map<String, Object> first = new LinkedHashMap<>(request("cust-00001", "2PC"));
        first.put("idempotencyKey", "key-1");
        Map<String, Object> second = new LinkedHashMap<>(request("cust-00001", "2PC"));
        second.put("idempotencyKey", "key-2");
        timeline.info("c1", "order", null, first, 0, null, 20);
        timeline.info("c2", "order", null, second, 5, null, 25);
        transactions.add(tx("tx-1", "2PC", "cust-00001", ABORTED, ABORTED, ABORTED));
        transactions.add(tx("tx-2", "2PC", "cust-00001", COMMITTED, COMMITTED, ABORTED));
        stockAtEnd.put("SKU-00001", new Stock(98, 0));

        Verdict verdict = check(Map.of("key-2", "tx-2"));

        Finding mixed = verdict.violations(OrdersChecker.MIXED_2PC).get(0);
        assertThat(mixed.key()).isEqualTo("tx-2");
        assertThat(mixed.operations()).extracting(Operation::process).containsExactly("c2");
    }

    @Test
    void branchStatesReduceToCommittedAbortedCompensatedOrInDoubt() {
        assertThat(List.of("COMMITTED", "ABORTED", "COMPENSATED", "VOTED", "PREPARED", "PRE_COMMITTED"))
                .extracting(BranchOutcome::of)
                .containsExactly(COMMITTED, ABORTED, COMPENSATED, IN_DOUBT, IN_DOUBT, IN_DOUBT);
        assertThatThrownBy(() -> BranchOutcome.of("DONE")).hasMessageContaining("not a branch state");
    }

    /** An order of 2 units at 1.00 by cust-00001, and its transaction. */
    private void order(String process, String xid, String protocol, String outcome, long from, long to,
            BranchOutcome order, BranchOutcome inventory, BranchOutcome payment) {
        String customer = "cust-00001";
        if (outcome == null) {
            timeline.info(process, "order", null, request(customer, protocol), from, answer(xid, "PENDING"), to);
        } else {
            timeline.ok(process, "order", null, request(customer, protocol), from, answer(xid, outcome), to);
        }
        transactions.add(tx(xid, protocol, customer, order, inventory, payment));
    }

    private static Transaction tx(String xid, String protocol, String customer, BranchOutcome order,
            BranchOutcome inventory, BranchOutcome payment) {
        return new Transaction(xid, "order-" + xid, protocol, Map.of("order", order, "inventory", inventory,
                "payment", payment), new StockMove("SKU-00001", 2), new Charge(customer, new BigDecimal("2.00")));
    }

    private Verdict check() {
        return check(Map.of());
    }

    private Verdict check(Map<String, String> xidsByIdempotencyKey) {
        OrdersSnapshot snapshot = new OrdersSnapshot(OrdersSnapshot.PARTICIPANTS, transactions,
                Map.of("SKU-00001", new Stock(100, 0)),
                stockAtEnd, Map.of("cust-00001", account("1000.00")), accountsAtEnd, xidsByIdempotencyKey);
        return new OrdersChecker(snapshot).check(timeline.history());
    }

    private static Map<String, Object> request(String customer, String protocol) {
        return Map.of("customerId", customer, "sku", "SKU-00001", "quantity", 2, "protocol", protocol);
    }

    private static Map<String, Object> answer(String xid, String outcome) {
        return Map.of("orderId", "order-" + xid, "xid", xid, "outcome", outcome, "amount", "2.00");
    }

    private static Account account(String balance) {
        return new Account(new BigDecimal(balance), BigDecimal.ZERO);
    }
}
