package io.dtxlab.order.order;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.participant.resource.BranchRecord;
import io.dtxlab.participant.resource.BranchResource;
import io.dtxlab.participant.resource.ExpectedBranch;
import io.dtxlab.participant.resource.Invariant;
import io.dtxlab.participant.resource.InvariantTally;
import io.dtxlab.participant.resource.Verdict;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The order service's own branch: prepare creates the order as PENDING, commit confirms it, abort rejects it with
 * the reason. An abort before any prepare still records the order, REJECTED, so every order placed has a row.
 * An order answered 202 (its outcome not known) is recorded PENDING by the order service before any branch exists,
 * so it can be found; its branch then takes that row over when it arrives, and an abort rejects it. If no branch
 * arrives (no coordinator began the transaction), the kit refuses it after {@code branch-expected-within}, which
 * rejects the order too.
 * Without atomic commitment (NONE) the apply creates it and confirms it at once: the row then reads CONFIRMED even
 * when another service refused its part, because nothing undoes it.
 */
@Component
class OrderBranch implements BranchResource<OrderBranch.NewOrder> {

    record NewOrder(String orderId, String customerId, String sku, int quantity, String protocol) {
    }

    private final OrderRepository orders;
    private final OrderRows rows;
    private final Clock clock = Clock.systemUTC();

    OrderBranch(OrderRepository orders, OrderRows rows) {
        this.orders = orders;
        this.rows = rows;
    }

    @Override
    public Class<NewOrder> payloadType() {
        return NewOrder.class;
    }

    @Override
    public Verdict reserve(String xid, NewOrder order) {
        if (order.orderId() == null || order.customerId() == null || order.sku() == null || order.quantity() <= 0) {
            throw new IllegalArgumentException("orderId, customerId, sku and a positive quantity are required");
        }
        OrderRows.Row existing = rows.find(order.orderId());
        if (existing != null) {
            if (existing.awaitsBranchOf(xid)) {
                rows.settle(order.orderId(), OrderStatus.PENDING, null); // the note of an order recorded before
                return Verdict.yes();
            }
            return Verdict.no("order " + order.orderId() + " already exists");
        }
        rows.insert(xid, order, OrderStatus.PENDING, null, clock.instant());
        return Verdict.yes();
    }

    @Override
    public void apply(String xid, NewOrder order) {
        settled(order, OrderStatus.CONFIRMED, null);
    }

    @Override
    public void release(String xid, NewOrder order, String reason) {
        settled(order, OrderStatus.REJECTED, reason);
    }

    /** A saga's compensation: the order its step confirmed is rejected after all. */
    @Override
    public void compensate(String xid, NewOrder order, String reason) {
        settled(order, OrderStatus.REJECTED, "compensated: " + reason);
    }

    @Override
    public void emptyRollback(String xid, NewOrder order, String reason) {
        if (order == null || order.orderId() == null) {
            return;
        }
        OrderRows.Row existing = rows.find(order.orderId());
        if (existing == null) {
            rows.insert(xid, order, OrderStatus.REJECTED, reason, clock.instant());
        } else if (existing.awaitsBranchOf(xid)) {
            rows.settle(order.orderId(), OrderStatus.REJECTED, reason);
        }
    }

    /**
     * Records an order whose outcome is not known (answered 202): PENDING with {@code note}, unless its branch
     * already made the row. A branch that arrives later takes the row over ({@link #reserve}).
     */
    @org.springframework.transaction.annotation.Transactional
    public void outcomeUnknown(String xid, NewOrder order, String note) {
        if (rows.find(order.orderId()) == null) {
            rows.insert(xid, order, OrderStatus.PENDING, note, clock.instant());
        }
    }

    /**
     * The orders recorded PENDING ({@link #outcomeUnknown}), whose branch this participant expects: one that never
     * arrives (no coordinator ever began the transaction) is refused after {@code dtx.participant.branch-expected-within},
     * which rejects the order ({@link #emptyRollback}). The kit keeps only those without a branch record.
     */
    @Override
    public List<ExpectedBranch<NewOrder>> expectedBranches() {
        return orders.findAllByStatus(OrderStatus.PENDING.name()).stream()
                .map(o -> new ExpectedBranch<>(o.txId(), o.asNewOrder().protocol(), o.asNewOrder(), o.createdAt()))
                .toList();
    }

    /**
     * Every order's status follows its branch: PENDING while held, CONFIRMED if committed, REJECTED if aborted. An
     * order belongs to the branch of its transaction ({@code tx_id}); the branches and their orders are read in one
     * streamed join, so the audit holds one row at a time, not every order (a benchmark leaves 100,000s).
     */
    @Override
    public List<Invariant> invariants(Stream<BranchRecord<NewOrder>> branches) {
        InvariantTally follows = new InvariantTally("every order's status follows its branch");
        long[] checked = {0};
        rows.eachBranchWithItsOrder((xid, state, orderId, actual) -> {
            checked[0]++;
            String expected = state.isFinal()
                    ? (state == BranchState.COMMITTED ? OrderStatus.CONFIRMED : OrderStatus.REJECTED).name()
                    : state.holdsReservation() ? OrderStatus.PENDING.name() : null;
            follows.check(expected == null || expected.equals(actual)
                            || (actual == null && state == BranchState.ABORTED),
                    () -> (orderId == null ? xid + " has no order" : orderId + " is " + actual) + ", its branch "
                            + state);
        });
        return List.of(follows.result(checked[0] + " branches checked"));
    }

    private void settled(NewOrder order, OrderStatus status, String reason) {
        if (rows.settle(order.orderId(), status, reason) != 1) {
            throw new IllegalStateException("order " + order.orderId() + " was prepared but is missing");
        }
    }
}
