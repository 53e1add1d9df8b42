package io.dtxlab.inventory.stock;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.participant.resource.BranchRecord;
import io.dtxlab.participant.resource.BranchResource;
import io.dtxlab.participant.resource.Invariant;
import io.dtxlab.participant.resource.Verdict;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/**
 * Inventory's branch: prepare reserves units (available to reserved), commit sells them (reserved to sold), abort
 * puts them back. Each is one conditional UPDATE, so concurrent orders can never take more than is available.
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

    StockBranch(StockRepository stock) {
        this.stock = stock;
    }

    @Override
    public Class<Take> payloadType() {
        return Take.class;
    }

    @Override
    public Verdict reserve(String xid, Take take) {
        Verdict possible = check(take);
        if (!possible.ok()) {
            return possible;
        }
        if (stock.reserve(take.sku(), take.quantity()) == 1) {
            return Verdict.yes();
        }
        return insufficient(take, stock.findBySku(take.sku()).map(StockItem::available).orElse(0));
    }

    @Override
    public Verdict check(Take take) {
        if (take.sku() == null || take.quantity() <= 0) {
            throw new IllegalArgumentException("sku and a positive quantity are required");
        }
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
        require(stock.sell(take.sku(), take.quantity()), "sell", take);
    }

    @Override
    public void release(String xid, Take take, String reason) {
        require(stock.release(take.sku(), take.quantity()), "release", take);
    }

    /**
     * Per SKU: reserved equals the units the branches holding a reservation took, and sold equals the units of the
     * committed branches. With available + reserved + sold moved only by those branches, the total is conserved.
     */
    @Override
    public List<Invariant> invariants(List<BranchRecord<Take>> branches) {
        Map<String, int[]> expected = new TreeMap<>();
        for (BranchRecord<Take> b : branches) {
            if (b.payload() == null || b.payload().sku() == null) {
                continue;
            }
            int[] e = expected.computeIfAbsent(b.payload().sku(), k -> new int[2]);
            if (b.state().holdsReservation()) {
                e[0] += b.payload().quantity();
            } else if (b.state() == BranchState.COMMITTED) {
                e[1] += b.payload().quantity();
            }
        }
        List<Invariant> invariants = new ArrayList<>();
        for (StockItem item : stock.findAllByOrderBySkuAsc()) {
            StockView v = item.view();
            int[] e = expected.getOrDefault(v.sku(), new int[2]);
            invariants.add(Invariant.check(v.sku() + ": reserved = units held by in-doubt branches",
                    v.reserved() == e[0], "reserved " + v.reserved() + ", branches hold " + e[0]));
            invariants.add(Invariant.check(v.sku() + ": sold = units of committed branches",
                    v.sold() == e[1], "sold " + v.sold() + ", committed branches took " + e[1]));
            invariants.add(Invariant.check(v.sku() + ": nothing negative",
                    v.available() >= 0 && v.reserved() >= 0 && v.sold() >= 0,
                    v.available() + " available, " + v.reserved() + " reserved, " + v.sold() + " sold"));
        }
        return invariants;
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
