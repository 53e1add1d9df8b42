package io.dtxlab.order.order;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.participant.resource.BranchRecord;
import io.dtxlab.participant.resource.BranchResource;
import io.dtxlab.participant.resource.ExpectedBranch;
import io.dtxlab.participant.resource.Invariant;
import io.dtxlab.participant.resource.InvariantTally;
import io.dtxlab.participant.resource.Verdict;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Clock clock = Clock.systemUTC();

    OrderBranch(OrderRepository orders) {
        this.orders = orders;
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
        java.util.Optional<CustomerOrder> existing = orders.findById(order.orderId());
        if (existing.isPresent()) {
            if (existing.get().awaitsBranchOf(xid)) {
                existing.get().prepared();
                return Verdict.yes();
            }
            return Verdict.no("order " + order.orderId() + " already exists");
        }
        orders.save(newOrder(xid, order, OrderStatus.PENDING, null));
        return Verdict.yes();
    }

    @Override
    public void apply(String xid, NewOrder order) {
        find(order).confirm();
    }

    @Override
    public void release(String xid, NewOrder order, String reason) {
        find(order).reject(reason);
    }

    @Override
    public void emptyRollback(String xid, NewOrder order, String reason) {
        if (order == null || order.orderId() == null) {
            return;
        }
        java.util.Optional<CustomerOrder> existing = orders.findById(order.orderId());
        if (existing.isEmpty()) {
            orders.save(newOrder(xid, order, OrderStatus.REJECTED, reason));
        } else if (existing.get().awaitsBranchOf(xid)) {
            existing.get().reject(reason);
        }
    }

    /**
     * Records an order whose outcome is not known (answered 202): PENDING with {@code note}, unless its branch
     * already made the row. A branch that arrives later takes the row over ({@link #reserve}).
     */
    @org.springframework.transaction.annotation.Transactional
    public void outcomeUnknown(String xid, NewOrder order, String note) {
        if (orders.findById(order.orderId()).isEmpty()) {
            orders.save(newOrder(xid, order, OrderStatus.PENDING, note));
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

    /** Every order's status follows its branch: PENDING while held, CONFIRMED if committed, REJECTED if aborted. */
    @Override
    public List<Invariant> invariants(List<BranchRecord<NewOrder>> branches) {
        InvariantTally follows = new InvariantTally("every order's status follows its branch");
        // one read of every order, not one per branch: a benchmark run leaves 100,000s
        Map<String, String> statuses = new HashMap<>();
        orders.findAll().forEach(o -> statuses.put(o.id(), o.status()));
        for (BranchRecord<NewOrder> b : branches) {
            if (b.payload() == null || b.payload().orderId() == null) {
                continue;
            }
            String expected = b.state().isFinal()
                    ? (b.state() == BranchState.COMMITTED ? OrderStatus.CONFIRMED : OrderStatus.REJECTED).name()
                    : b.state().holdsReservation() ? OrderStatus.PENDING.name() : null;
            String actual = statuses.get(b.payload().orderId());
            follows.check(expected == null || expected.equals(actual)
                            || (actual == null && b.state() == BranchState.ABORTED),
                    () -> b.payload().orderId() + " is " + actual + ", its branch " + b.state());
        }
        return List.of(follows.result(branches.size() + " branches checked"));
    }

    private CustomerOrder find(NewOrder order) {
        return orders.findById(order.orderId()).orElseThrow(() -> new IllegalStateException(
                "order " + order.orderId() + " was prepared but is missing"));
    }

    private CustomerOrder newOrder(String xid, NewOrder order, OrderStatus status, String reason) {
        return new CustomerOrder(order.orderId(), xid, order.customerId(), order.sku(), order.quantity(),
                order.protocol() == null ? "2PC" : order.protocol(), status, reason, clock.instant());
    }
}
