package io.dtxlab.inventory.stock;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.participant.resource.BranchRecord;
import io.dtxlab.participant.resource.BranchResource;
import io.dtxlab.participant.resource.Invariant;
import io.dtxlab.participant.resource.InvariantTally;
import io.dtxlab.participant.resource.Verdict;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Inventory's branch: prepare reserves units (available to reserved), commit sells them (reserved to sold), abort
 * puts them back; a saga's step sells at once and its compensation gives the units back (sold to available). Each is one conditional UPDATE, so concurrent orders can never take more than is available.
 */
@Component
class StockBranch implements BranchResource<StockBranch.Take> {

    /**
     * @param sku what to take
     * @param quantity how many units
     * @param unitPrice the price the order was charged at; prepare refuses if the price differs (null: no check)
     */
    record Take(String sku, int quantity, BigDecimal unitPrice) {
    }

    private final StockRepository stock;
    private final StockMoves moves;
    private final StockLedger ledger;

    StockBranch(StockRepository stock, StockMoves moves, StockLedger ledger) {
        this.stock = stock;
        this.moves = moves;
        this.ledger = ledger;
    }

    @Override
    public Class<Take> payloadType() {
        return Take.class;
    }

    /**
     * One conditional UPDATE when the units are there at that price (the common case: no read first); only a refusal
     * reads the SKU, to say why. Short of units that unfinished transactions hold reserved (they may come back) is
     * {@link Verdict#busy busy}: a saga's locking step waits for them; every other message takes it as a NO.
     */
    @Override
    public Verdict reserve(String xid, Take take) {
        requireValid(take);
        int taken = take.unitPrice() == null ? moves.reserve(take.sku(), take.quantity())
                : moves.reserveAtPrice(take.sku(), take.quantity(), take.unitPrice());
        if (taken == 1) {
            return Verdict.yes();
        }
        StockItem item = stock.findBySku(take.sku()).orElse(null);
        if (item == null || take.unitPrice() != null && item.unitPrice().compareTo(take.unitPrice()) != 0) {
            return check(take); // an unknown SKU or another price
        }
        if (item.available() + item.reserved() >= take.quantity()) {
            return Verdict.busy("insufficient stock of " + take.sku() + " for now: " + item.available()
                    + " available, " + item.reserved() + " held by transactions that have not finished, "
                    + take.quantity() + " requested");
        }
        return insufficient(take, item.available());
    }

    @Override
    public Verdict check(Take take) {
        requireValid(take);
        StockItem item = stock.findBySku(take.sku()).orElse(null);
        if (item == null) {
            return Verdict.no("unknown SKU '" + take.sku() + "'");
        }
        if (take.unitPrice() != null && item.unitPrice().compareTo(take.unitPrice()) != 0) {
            return Verdict.no("the price of " + take.sku() + " is " + item.unitPrice() + ", not " + take.unitPrice());
        }
        return item.available() >= take.quantity() ? Verdict.yes() : insufficient(take, item.available());
    }

    @Override
    public void apply(String xid, Take take) {
        require(moves.sell(take.sku(), take.quantity()), "sell", take);
    }

    @Override
    public void release(String xid, Take take, String reason) {
        require(moves.release(take.sku(), take.quantity()), "release", take);
    }

    /** A saga's compensation: the units sold by the step are available again. */
    @Override
    public void compensate(String xid, Take take, String reason) {
        require(moves.unsell(take.sku(), take.quantity()), "give back", take);
    }

    /**
     * Per SKU: reserved equals the units the branches holding a reservation took, sold equals the units of the
     * committed branches, and available + reserved + sold equals what the ledger says was ever stocked. One
     * invariant per rule over every SKU ({@link InvariantTally}: the first few that break it are named), so the
     * audit stays small and quick with thousands of SKUs: the stock and the ledger's sums are read in one aggregate
     * query.
     */
    @Override
    public List<Invariant> invariants(Stream<BranchRecord<Take>> branches) {
        Map<String, long[]> expected = new HashMap<>();
        branches.forEach(b -> {
            if (b.payload() == null || b.payload().sku() == null) {
                return;
            }
            long[] e = expected.computeIfAbsent(b.payload().sku(), k -> new long[2]);
            if (b.state().holdsReservation()) {
                e[0] += b.payload().quantity();
            } else if (b.state() == BranchState.COMMITTED) {
                e[1] += b.payload().quantity();
            }
        });
        InvariantTally reserved = new InvariantTally("every SKU: reserved = units held by in-doubt branches");
        InvariantTally sold = new InvariantTally("every SKU: sold = units of committed branches");
        InvariantTally conserved = new InvariantTally("every SKU: available + reserved + sold = stocked (ledger)");
        InvariantTally nonNegative = new InvariantTally("every SKU: nothing negative");
        List<StockLedger.Balance> balances = ledger.balances();
        for (StockLedger.Balance b : balances) {
            long[] e = expected.getOrDefault(b.sku(), new long[2]);
            reserved.check(b.reserved() == e[0], () -> b.sku() + ": reserved " + b.reserved() + ", branches hold " + e[0]);
            sold.check(b.sold() == e[1], () -> b.sku() + ": sold " + b.sold() + ", committed branches took " + e[1]);
            long total = (long) b.available() + b.reserved() + b.sold();
            conserved.check(total == b.stocked(), () -> b.sku() + ": available + reserved + sold " + total
                    + ", stocked " + b.stocked());
            nonNegative.check(b.available() >= 0 && b.reserved() >= 0 && b.sold() >= 0, () -> b.sku() + ": "
                    + b.available() + " available, " + b.reserved() + " reserved, " + b.sold() + " sold");
        }
        Set<String> known = new HashSet<>();
        balances.forEach(b -> known.add(b.sku()));
        expected.forEach((sku, e) -> {
            if (!known.contains(sku)) {
                reserved.check(e[0] == 0, () -> sku + ": no such SKU, branches hold " + e[0]);
                sold.check(e[1] == 0, () -> sku + ": no such SKU, committed branches took " + e[1]);
            }
        });
        String checked = balances.size() + " SKUs checked";
        return List.of(reserved.result(checked), sold.result(checked), conserved.result(checked),
                nonNegative.result(checked));
    }

    private static void requireValid(Take take) {
        if (take.sku() == null || take.quantity() <= 0) {
            throw new IllegalArgumentException("sku and a positive quantity are required");
        }
    }

    private static Verdict insufficient(Take take, int available) {
        return Verdict.no("insufficient stock of " + take.sku() + ": " + available + " available, "
                + take.quantity() + " requested");
    }

    private static void require(int updated, String what, Take take) {
        if (updated != 1) {
            throw new IllegalStateException("cannot " + what + " " + take.quantity() + " " + take.sku()
                    + ": fewer are reserved (the conservation invariant would break)");
        }
    }
}
