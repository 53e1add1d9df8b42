package io.dtxlab.chaos.check;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the order, inventory and payment services hold for a run's orders, gathered after the run once nothing moves
 * any more, plus the stock and the money before and after. A plain record: the runner fills it from the services'
 * own endpoints (named on each part), in this module nothing does HTTP.
 *
 * @param participants the participants every order has a branch on, as the coordinator names them:
 *        {@code order}, {@code inventory}, {@code payment}
 * @param transactions every global transaction of the run, by the branches found on any participant
 * @param stockAtStart each SKU's stock before the run ({@code GET /stock} or {@code /stock/{sku}} on inventory)
 * @param stockAtEnd each SKU's stock after it
 * @param accountsAtStart each customer's account before the run ({@code GET /accounts} or {@code /accounts/{id}} on
 *        payment)
 * @param accountsAtEnd each account after it
 * @param xidsByIdempotencyKey the xid each order of unknown outcome turned out to have, by the
 *        {@code idempotencyKey} of its request: learnt after the run by sending the same request again with the same
 *        {@code Idempotency-Key}, which places nothing new and answers the first order's xid; empty when no order
 *        was sent again
 */
public record OrdersSnapshot(List<String> participants, List<Transaction> transactions,
        Map<String, Stock> stockAtStart, Map<String, Stock> stockAtEnd,
        Map<String, Account> accountsAtStart, Map<String, Account> accountsAtEnd,
        Map<String, String> xidsByIdempotencyKey) {

    /** The participants of an order in this lab. */
    public static final List<String> PARTICIPANTS = List.of("order", "inventory", "payment");

    /** The protocols an order may ask for. */
    public static final Set<String> PROTOCOLS = Set.of("2PC", "3PC", "TCC", "SAGA", "NONE");

    public OrdersSnapshot {
        participants = List.copyOf(participants);
        transactions = List.copyOf(transactions);
        stockAtStart = Map.copyOf(stockAtStart);
        stockAtEnd = Map.copyOf(stockAtEnd);
        accountsAtStart = Map.copyOf(accountsAtStart);
        accountsAtEnd = Map.copyOf(accountsAtEnd);
        xidsByIdempotencyKey = xidsByIdempotencyKey == null ? Map.of() : Map.copyOf(xidsByIdempotencyKey);
    }

    /** A snapshot that learnt no xid by sending an order again. */
    public OrdersSnapshot(List<String> participants, List<Transaction> transactions, Map<String, Stock> stockAtStart,
            Map<String, Stock> stockAtEnd, Map<String, Account> accountsAtStart, Map<String, Account> accountsAtEnd) {
        this(participants, transactions, stockAtStart, stockAtEnd, accountsAtStart, accountsAtEnd, Map.of());
    }

    /**
     * Where one participant's branch of a transaction ended: a branch's state ({@code BranchState}) reduced to what
     * atomicity asks. A participant without a branch for the transaction is left out of
     * {@link Transaction#branches()}.
     */
    public enum BranchOutcome {
        /** COMMITTED: the effect is real. */
        COMMITTED,
        /** ABORTED: voted no, or the decision was abort; a saga's step that was refused. */
        ABORTED,
        /** COMPENSATED: a saga's step undone by its compensation, or compensated before it came (it took nothing). */
        COMPENSATED,
        /** VOTED, PREPARED or PRE_COMMITTED: still waiting for a decision. */
        IN_DOUBT;

        /** From a branch's state as the participants show it ({@code state} of {@code GET /branches}). */
        public static BranchOutcome of(String branchState) {
            return switch (branchState) {
                case "COMMITTED" -> COMMITTED;
                case "ABORTED" -> ABORTED;
                case "COMPENSATED" -> COMPENSATED;
                case "VOTED", "PREPARED", "PRE_COMMITTED" -> IN_DOUBT;
                default -> throw new IllegalArgumentException("not a branch state: " + branchState);
            };
        }
    }

    /**
     * One global transaction, one order.
     *
     * @param xid the transaction's id ({@code xid} of the order's answer, {@code txId} of {@code GET /orders/{id}})
     * @param orderId the order's id, when known
     * @param protocol {@code 2PC}, {@code 3PC}, {@code TCC}, {@code SAGA} or {@code NONE}
     * @param branches each participant's outcome; from {@code GET /branches?limit=...} (or {@code /branches/{xid}}) on
     *        each participant, or {@code GET /audit/branches} for the state alone
     * @param stockMove what the inventory branch takes (its payload: {@code sku}, {@code quantity}); null without one
     * @param charge what the payment branch charges (its payload: {@code customerId}, {@code amount}); null without one
     */
    public record Transaction(String xid, String orderId, String protocol, Map<String, BranchOutcome> branches,
            StockMove stockMove, Charge charge) {

        public Transaction {
            Objects.requireNonNull(xid, "xid");
            if (!PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("transaction " + xid + ": protocol must be one of " + PROTOCOLS
                        + ", was " + protocol);
            }
            branches = Map.copyOf(branches);
        }
    }

    /** The units an order takes of a SKU: the inventory branch's payload. */
    public record StockMove(String sku, int quantity) {
    }

    /** The money an order charges a customer: the payment branch's payload. */
    public record Charge(String customerId, BigDecimal amount) {
    }

    /**
     * A SKU's stock ({@code StockView}): units free to order, and units held by branches in doubt.
     *
     * @param available units free to order
     * @param reserved units held by prepared branches
     */
    public record Stock(long available, long reserved) {

        @Override
        public String toString() {
            return available + " available, " + reserved + " reserved";
        }
    }

    /**
     * A customer's account ({@code AccountView}).
     *
     * @param balance money free to spend
     * @param held money held by prepared branches
     */
    public record Account(BigDecimal balance, BigDecimal held) {

        @Override
        public String toString() {
            return "balance " + balance.toPlainString() + ", held " + held.toPlainString();
        }
    }
}
