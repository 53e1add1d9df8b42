package io.dtxlab.chaos.check;

import io.dtxlab.chaos.check.OrdersSnapshot.BranchOutcome;
import io.dtxlab.chaos.check.OrdersSnapshot.Transaction;
import io.dtxlab.chaos.history.FaultWindow;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.Operation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Whether a run's orders kept atomic commitment's promises, from the history of {@code order} operations and the
 * state gathered after the run ({@link OrdersSnapshot}). The rules (Bernstein, Hadzilacos and Goodman, "Concurrency
 * Control and Recovery in Database Systems", 1987, ch. 7; docs/background.md):
 * <ul>
 * <li><b>nothing in doubt</b>: after the run settled, every branch is committed, aborted or compensated;</li>
 * <li><b>no mixed outcome under 2PC</b>, nor <b>under TCC</b>: never one branch committed and another aborted (or
 * missing);</li>
 * <li><b>a saga ends all done or all compensated</b>: a saga has no isolation while it runs, but once the run
 * settled every step applied, or every step that applied was compensated (Garcia-Molina and Salem, "Sagas", 1987);
 * a step still applied beside one compensated or refused is a compensation that never finished;</li>
 * <li><b>mixed outcome under 3PC</b>: 3PC is non-blocking but not partition-safe, so a mixed outcome may follow a
 * fault: each is a note naming the fault windows in effect while the order ran (or the one that ended last before
 * it); one with no fault at all is a violation;</li>
 * <li><b>half-done orders under NONE</b>: without atomic commitment, expected: counted in a note;</li>
 * <li><b>a confirmed order exists with its charge and stock move</b>, every branch committed, as asked;</li>
 * <li><b>a rejected order took nothing</b>;</li>
 * <li><b>stock is conserved</b> and <b>money is conserved</b>: per SKU, available + reserved fell by exactly the
 * units the committed inventory branches took; per account, balance + held by exactly the committed charges (no
 * restock or deposit during the run);</li>
 * <li><b>no oversell</b>, <b>no overdraft</b>: nothing below zero at the end.</li>
 * </ul>
 * Operations ({@code POST /orders}): {@code order}, invoke value the request ({@code customerId}, {@code sku},
 * {@code quantity}, {@code protocol}, and the {@code idempotencyKey} it was sent with, if any); {@code ok} value the
 * answer ({@code xid}, {@code outcome} CONFIRMED or REJECTED); a 202 ({@code outcome} PENDING) or a timeout is
 * {@code info}, with the answer's body when there is one. A transaction is matched to its operation by {@code xid}:
 * the answer's, else the one the snapshot learnt for the operation's {@code idempotencyKey}
 * ({@link OrdersSnapshot#xidsByIdempotencyKey()}); one whose xid stays unknown, by the request (customer, SKU,
 * quantity, protocol) when exactly one operation and one transaction have it.
 */
public final class OrdersChecker implements Checker {

    /** The checker's name, on its verdicts. */
    public static final String NAME = "orders";

    // The rules, as their findings name them (a report maps them to its summary).
    /** Violation: a transaction's branch still in doubt after the run settled; key the xid. */
    public static final String IN_DOUBT = "nothing in doubt";
    /** Violation: a 2PC transaction committed on some participants and not on others; key the xid. */
    public static final String MIXED_2PC = "no mixed outcome under 2PC";
    /** Violation: a TCC transaction confirmed on some participants and not on others; key the xid. */
    public static final String MIXED_TCC = "no mixed outcome under TCC";
    /** Violation: a saga with a step applied and another compensated or refused after the run settled; key the xid. */
    public static final String SAGA_HALF_DONE = "a saga ends all done or all compensated";
    /** A 3PC transaction with a mixed outcome: a note during a fault, a violation with none; key the xid. */
    public static final String MIXED_3PC = "mixed outcome under 3PC";
    /** Note: how many orders under NONE were half done (one finding for them all). */
    public static final String HALF_DONE = "half-done orders under NONE";
    /** Violation: an order answered CONFIRMED without all its branches, charge and stock move; key the xid. */
    public static final String CONFIRMED = "a confirmed order exists with its charge and stock move";
    /** Violation: an order answered REJECTED that committed somewhere; key the xid. */
    public static final String REJECTED = "a rejected order took nothing";
    /** Violation: a SKU's available + reserved did not fall by what committed orders took; key the SKU. */
    public static final String STOCK = "stock is conserved";
    /** Violation: an account's balance + held did not fall by what committed orders charged; key the customer. */
    public static final String MONEY = "money is conserved";
    /** Violation: a SKU ends below zero; key the SKU. */
    public static final String OVERSELL = "no oversell";
    /** Violation: an account ends below zero; key the customer. */
    public static final String OVERDRAFT = "no overdraft";

    private static final String INVENTORY = "inventory";
    private static final String PAYMENT = "payment";
    private static final int SHOWN = 5;

    /** What the client was told. */
    enum Answer {
        CONFIRMED,
        REJECTED,
        UNKNOWN
    }

    private final OrdersSnapshot snapshot;

    public OrdersChecker(OrdersSnapshot snapshot) {
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verdict check(History history) {
        List<Finding> violations = new ArrayList<>();
        List<Finding> notes = new ArrayList<>();
        List<Operation> orders = history.operations().stream().filter(op -> op.f().equals("order")).toList();
        Map<String, Transaction> byXid = new LinkedHashMap<>();
        snapshot.transactions().forEach(tx -> byXid.put(tx.xid(), tx));
        Map<String, Operation> linked = link(orders, byXid, snapshot.xidsByIdempotencyKey());
        linked.forEach((xid, op) -> {
            if (answer(op) == Answer.CONFIRMED && !byXid.containsKey(xid)) {
                violations.add(new Finding(CONFIRMED, xid, "answered CONFIRMED, but no participant has a branch of "
                        + "the transaction", List.of(op)));
            }
        });
        Judge judge = new Judge(history, violations, notes);
        snapshot.transactions().forEach(tx -> judge.transaction(tx, linked.get(tx.xid())));
        judge.halfDone();
        conservation(violations);
        notes.add(new Finding("answers", null, answers(orders)));
        return Verdict.of(name(), violations, notes, true);
    }

    /**
     * Each transaction's operation: by xid (the answer's, or the one learnt for its Idempotency-Key), else by the
     * request when exactly one of each has it.
     */
    private static Map<String, Operation> link(List<Operation> orders, Map<String, Transaction> byXid,
            Map<String, String> xidsByIdempotencyKey) {
        Map<String, Operation> linked = new HashMap<>();
        Map<String, List<Operation>> unlinked = new HashMap<>();
        for (Operation op : orders) {
            String xid = op.response().path("xid").asText(null);
            if (xid == null && op.unknown()) {
                xid = xidsByIdempotencyKey.get(op.request().path("idempotencyKey").asText(""));
            }
            if (xid != null && !op.failed()) {
                linked.put(xid, op);
            } else if (op.unknown()) {
                unlinked.computeIfAbsent(request(op), r -> new ArrayList<>()).add(op);
            }
        }
        Map<String, List<Transaction>> unmatched = byXid.values().stream().filter(tx -> !linked.containsKey(tx.xid()))
                .collect(Collectors.groupingBy(OrdersChecker::request));
        unmatched.forEach((request, txs) -> {
            List<Operation> ops = unlinked.getOrDefault(request, List.of());
            if (txs.size() == 1 && ops.size() == 1) {
                linked.put(txs.get(0).xid(), ops.get(0));
            }
        });
        return linked;
    }

    private static String request(Operation op) {
        var r = op.request();
        return r.path("customerId").asText() + "|" + r.path("sku").asText() + "|" + r.path("quantity").asInt() + "|"
                + r.path("protocol").asText("2PC");
    }

    private static String request(Transaction tx) {
        return (tx.charge() == null ? "" : tx.charge().customerId()) + "|"
                + (tx.stockMove() == null ? "" : tx.stockMove().sku() + "|" + tx.stockMove().quantity()) + "|"
                + tx.protocol();
    }

    static Answer answer(Operation op) {
        if (op == null || !op.ok()) {
            return Answer.UNKNOWN;
        }
        return switch (op.response().path("outcome").asText()) {
            case "CONFIRMED" -> Answer.CONFIRMED;
            case "REJECTED" -> Answer.REJECTED;
            default -> Answer.UNKNOWN;
        };
    }

    /** The rules about one transaction's branches and its answer. */
    private final class Judge {

        private final List<FaultWindow> windows;
        private final long end;
        private final List<Finding> violations;
        private final List<Finding> notes;
        private final List<Transaction> halfDone = new ArrayList<>();
        private final List<Operation> halfDoneOps = new ArrayList<>();

        Judge(History history, List<Finding> violations, List<Finding> notes) {
            this.windows = history.faultWindows();
            this.end = history.events().isEmpty() ? 0 : history.events().get(history.events().size() - 1).time();
            this.violations = violations;
            this.notes = notes;
        }

        void transaction(Transaction tx, Operation op) {
            List<Operation> ops = op == null ? List.of() : List.of(op);
            Answer answer = answer(op);
            Set<String> inDoubt = with(tx, BranchOutcome.IN_DOUBT);
            Set<String> committed = with(tx, BranchOutcome.COMMITTED);
            Set<String> notCommitted = new TreeSet<>(snapshot.participants());
            notCommitted.removeAll(committed);
            notCommitted.removeAll(inDoubt);
            if (!inDoubt.isEmpty()) {
                violations.add(new Finding(IN_DOUBT, tx.xid(), tx.protocol() + " branches still in doubt on "
                        + inDoubt + " (answered " + answer + ")", ops));
                return;
            }
            if (!committed.isEmpty() && !notCommitted.isEmpty()) {
                mixed(tx, op, "committed on " + committed + ", not on " + notCommitted + " (answered " + answer + ")");
                return;
            }
            if (answer == Answer.CONFIRMED) {
                String missing = tx.stockMove() == null ? "no stock move" : tx.charge() == null ? "no charge"
                        : committed.isEmpty() ? "no branch committed" : differs(tx, op);
                if (missing != null) {
                    violations.add(new Finding(CONFIRMED, tx.xid(), "answered CONFIRMED, but " + missing, ops));
                }
            } else if (answer == Answer.REJECTED && !committed.isEmpty()) {
                violations.add(new Finding(REJECTED, tx.xid(), "answered REJECTED, but committed on " + committed,
                        ops));
            }
        }

        private void mixed(Transaction tx, Operation op, String what) {
            List<Operation> ops = op == null ? List.of() : List.of(op);
            switch (tx.protocol()) {
                case "2PC" -> violations.add(new Finding(MIXED_2PC, tx.xid(), what, ops));
                case "TCC" -> violations.add(new Finding(MIXED_TCC, tx.xid(), what, ops));
                case "SAGA" -> violations.add(new Finding(SAGA_HALF_DONE, tx.xid(), what + ": its compensations "
                        + "never finished", ops));
                case "3PC" -> {
                    List<FaultWindow> faults = faultsAt(op);
                    if (faults.isEmpty()) {
                        violations.add(new Finding(MIXED_3PC, tx.xid(), what + ", with no fault in the run to "
                                + "explain it", ops));
                    } else {
                        notes.add(new Finding(MIXED_3PC, tx.xid(), what + (op == null ? ", at a time unknown, "
                                + "during the run's faults " : ", during ") + faults.stream()
                                .map(FaultWindow::describe).toList(), ops));
                    }
                }
                default -> {
                    halfDone.add(tx);
                    halfDoneOps.addAll(ops);
                }
            }
        }

        /** The faults in effect while the order ran, or the one that ended last before it; all when its time is unknown. */
        private List<FaultWindow> faultsAt(Operation op) {
            if (op == null) {
                return windows;
            }
            long to = op.unknown() ? Math.max(end, op.completedAt()) : op.completedAt();
            List<FaultWindow> during = windows.stream().filter(w -> w.overlaps(op.invokedAt(), to)).toList();
            if (!during.isEmpty()) {
                return during;
            }
            return windows.stream().filter(w -> w.stop() < op.invokedAt())
                    .max(Comparator.comparingLong(FaultWindow::stop)).map(List::of).orElse(List.of());
        }

        void halfDone() {
            if (!halfDone.isEmpty()) {
                notes.add(new Finding(HALF_DONE, null, halfDone.size() + " order" + (halfDone.size() == 1 ? "" : "s")
                        + " half done, as expected without atomic commitment, e.g. " + halfDone.stream().limit(SHOWN)
                        .map(Transaction::xid).toList(), halfDoneOps.stream().limit(SHOWN).toList()));
            }
        }

        private static Set<String> with(Transaction tx, BranchOutcome outcome) {
            Set<String> participants = new TreeSet<>();
            tx.branches().forEach((participant, o) -> {
                if (o == outcome) {
                    participants.add(participant);
                }
            });
            return participants;
        }

        /** How the branches' payloads differ from what the client asked, or null. */
        private static String differs(Transaction tx, Operation op) {
            if (op == null) {
                return null;
            }
            var r = op.request();
            if (!tx.stockMove().sku().equals(r.path("sku").asText()) || tx.stockMove().quantity() != r.path("quantity")
                    .asInt()) {
                return "its stock move is " + tx.stockMove() + ", not what was ordered";
            }
            if (!tx.charge().customerId().equals(r.path("customerId").asText())) {
                return "its charge is " + tx.charge() + ", not of the customer who ordered";
            }
            return null;
        }
    }

    /** Stock and money: what moved equals what the committed branches took, and nothing ends below zero. */
    private void conservation(List<Finding> violations) {
        Map<String, BigDecimal> taken = new TreeMap<>();
        Map<String, BigDecimal> charged = new TreeMap<>();
        for (Transaction tx : snapshot.transactions()) {
            if (tx.branches().get(INVENTORY) == BranchOutcome.COMMITTED && tx.stockMove() != null) {
                taken.merge(tx.stockMove().sku(), BigDecimal.valueOf(tx.stockMove().quantity()), BigDecimal::add);
            }
            if (tx.branches().get(PAYMENT) == BranchOutcome.COMMITTED && tx.charge() != null) {
                charged.merge(tx.charge().customerId(), tx.charge().amount(), BigDecimal::add);
            }
        }
        balance(new Books<>(STOCK, OVERSELL, "available + reserved", "took", snapshot.stockAtStart(),
                snapshot.stockAtEnd(), s -> BigDecimal.valueOf(s.available() + s.reserved()),
                s -> s.available() < 0 || s.reserved() < 0), taken, violations);
        balance(new Books<>(MONEY, OVERDRAFT, "balance + held", "charged", snapshot.accountsAtStart(),
                snapshot.accountsAtEnd(), a -> a.balance().add(a.held()),
                a -> a.balance().signum() < 0 || a.held().signum() < 0), charged, violations);
    }

    /**
     * One kind of books: SKUs' stock or customers' money.
     *
     * @param rule the conservation rule
     * @param belowZero the rule that nothing ends below zero
     * @param total what is conserved, in words
     * @param verb what committed orders did to it, in words
     * @param start each item before the run
     * @param end each item after it
     * @param sum what is conserved of an item
     * @param negative whether an item is below zero
     */
    private record Books<S>(String rule, String belowZero, String total, String verb, Map<String, S> start,
            Map<String, S> end, Function<S, BigDecimal> sum, Predicate<S> negative) {
    }

    private static <S> void balance(Books<S> books, Map<String, BigDecimal> moved, List<Finding> violations) {
        Set<String> items = new TreeSet<>(moved.keySet());
        items.addAll(books.start().keySet());
        items.addAll(books.end().keySet());
        for (String item : items) {
            S start = books.start().get(item);
            S end = books.end().get(item);
            BigDecimal took = moved.getOrDefault(item, BigDecimal.ZERO);
            if (start == null || end == null) {
                violations.add(new Finding(books.rule(), item, "no figures " + (start == null ? "before" : "after")
                        + " the run; committed orders " + books.verb() + " " + took.toPlainString()));
                continue;
            }
            BigDecimal fell = books.sum().apply(start).subtract(books.sum().apply(end));
            if (fell.compareTo(took) != 0) {
                violations.add(new Finding(books.rule(), item, books.total() + " fell by " + fell.toPlainString()
                        + " (" + start + " -> " + end + "), but committed orders " + books.verb() + " "
                        + took.toPlainString()));
            }
            if (books.negative().test(end)) {
                violations.add(new Finding(books.belowZero(), item, "ends at " + end));
            }
        }
    }

    private static String answers(List<Operation> orders) {
        Map<String, Long> counts = new TreeMap<>();
        for (Operation op : orders) {
            counts.merge(op.failed() ? "failed" : answer(op).name(), 1L, Long::sum);
        }
        return orders.size() + " orders: " + counts;
    }
}
