package io.dtxlab.inventory.stock;

import io.dtxlab.inventory.stock.StockLedger.Entry;
import io.dtxlab.inventory.stock.StockLedger.Row;
import io.dtxlab.inventory.stock.StockLedger.NewSku;
import io.dtxlab.inventory.stock.StockLedger.Reason;
import io.dtxlab.platform.idempotency.IdempotencyKeys;
import io.dtxlab.platform.problem.ValidationProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;

/**
 * Puts units into the stock: creates a SKU, restocks one, or seeds thousands at once. Each call is one local
 * transaction that changes {@code available} and writes the matching ledger entries, so available + reserved +
 * sold = stocked holds after every commit. A stocking never changes a price: orders in flight were priced with it.
 */
@Service
class Stocking {

    /** What a SKU may be called (also the path segment of {@code /stock/{sku}}). */
    static final String SKU = "[A-Za-z0-9_.-]{1,64}";
    /** Most units one stocking may add. */
    static final int MAX_UNITS = 1_000_000_000;
    /** Most SKUs one seed may name. */
    static final int MAX_SEED = 10_000;
    /** Longest list of SKUs whose price differs that a seed names. */
    static final int PRICE_DIFFERS_SHOWN = 10;
    /** {@code GET /stock/totals} owns this name. */
    private static final String RESERVED_NAME = "totals";

    /**
     * @param created whether the SKU was new
     * @param view its stock after the change
     */
    record Stocked(boolean created, StockView view) {
    }

    /** One SKU of a seed: it should have at least {@code available} units, at {@code unitPrice} if it is new. */
    record Want(String sku, BigDecimal unitPrice, int available) {
    }

    /**
     * What a seed did.
     *
     * @param created SKUs that did not exist
     * @param restocked SKUs that had fewer available units than asked and got the difference
     * @param unchanged SKUs that already had enough
     * @param unitsAdded units added over all SKUs (the sum of the new ledger entries)
     * @param priceDiffers up to ten existing SKUs whose price is not the one in the seed (their price was kept)
     */
    record SeedResult(int created, int restocked, int unchanged, long unitsAdded, List<String> priceDiffers) {
    }

    private final StockLedger ledger;

    Stocking(StockLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Creates {@code sku} with {@code units} available at {@code unitPrice}, or adds {@code units} to its available
     * units. Errors: 400 if the SKU is new and {@code unitPrice} is null, 409 if {@code unitPrice} is given and is
     * not the SKU's price, 409 if the SKU would hold more than {@link Integer#MAX_VALUE} units.
     *
     * @param key the request's Idempotency-Key, or null: its answer (201 or 200 and the stock) is stored in this
     *        same local transaction, so the units and the key are committed together or not at all
     */
    @Transactional
    Stocked stock(String sku, BigDecimal unitPrice, int units, IdempotencyKeys.Claim key) {
        Stocked stocked = stock(sku, unitPrice, units);
        if (key != null) {
            key.answered(stocked.created() ? 201 : 200, stocked.view());
        }
        return stocked;
    }

    private Stocked stock(String sku, BigDecimal unitPrice, int units) {
        refuseReservedName("sku", sku);
        Row row = ledger.lock(sku).orElse(null);
        if (row == null) {
            if (unitPrice == null) {
                throw ValidationProblem.invalid("unitPrice", "NotNull", "is required to create SKU '" + sku + "'",
                        null);
            }
            try {
                ledger.create(List.of(new NewSku(sku, unitPrice, units)));
            } catch (DuplicateKeyException e) {
                throw new ResponseStatusException(HttpStatus.CONFLICT,
                        "SKU '" + sku + "' was created by a concurrent request; send again to restock it");
            }
            ledger.record(List.of(new Entry(sku, units)), Reason.CREATE);
            return new Stocked(true, ledger.view(sku).orElseThrow());
        }
        if (unitPrice != null && unitPrice.compareTo(row.unitPrice()) != 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "the price of " + sku + " is " + row.unitPrice()
                    + ", not " + unitPrice + ": a restock does not change the price (omit unitPrice)");
        }
        refuseOverflow(row, units);
        ledger.restock(List.of(new Entry(sku, units)));
        ledger.record(List.of(new Entry(sku, units)), Reason.RESTOCK);
        return new Stocked(false, ledger.view(sku).orElseThrow());
    }

    /**
     * Makes every SKU of {@code wants} hold at least its {@code available} units: a missing SKU is created, one
     * with fewer available units gets the difference, any other is left alone. Existing prices are never changed;
     * the SKUs whose price differs are named. Idempotent: the same seed again changes nothing. All or nothing, in
     * one transaction and a few statements. The rows are read without locks, so orders go on meanwhile: a restock
     * adds the difference seen when reading (an order in between may leave a SKU a few units short of the target),
     * and the ledger records exactly the units added, so conservation holds regardless. Errors: 400 if a SKU
     * appears twice, 409 if a SKU would hold more than {@link Integer#MAX_VALUE} units or was created by a
     * concurrent request (send the seed again).
     */
    @Transactional
    SeedResult seed(List<Want> wants) {
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < wants.size(); i++) {
            String sku = wants.get(i).sku();
            refuseReservedName("items[" + i + "].sku", sku);
            Integer earlier = firstIndex.putIfAbsent(sku, i);
            if (earlier != null) {
                throw ValidationProblem.invalid("items[" + i + "].sku", "Unique",
                        "repeats SKU '" + sku + "' of items[" + earlier + "]", sku);
            }
        }
        Map<String, Row> existing = ledger.findAll(firstIndex.keySet());
        List<NewSku> creates = new ArrayList<>();
        List<Entry> restocks = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        LinkedHashSet<String> priceDiffers = new LinkedHashSet<>();
        int unchanged = 0;
        long unitsAdded = 0;
        for (Want want : wants) {
            Row row = existing.get(want.sku());
            if (row == null) {
                creates.add(new NewSku(want.sku(), want.unitPrice(), want.available()));
                entries.add(new Entry(want.sku(), want.available()));
                unitsAdded += want.available();
                continue;
            }
            if (want.unitPrice().compareTo(row.unitPrice()) != 0 && priceDiffers.size() < PRICE_DIFFERS_SHOWN) {
                priceDiffers.add(want.sku());
            }
            if (row.available() >= want.available()) {
                unchanged++;
                continue;
            }
            int missing = want.available() - row.available();
            refuseOverflow(row, missing);
            restocks.add(new Entry(want.sku(), missing));
            entries.add(new Entry(want.sku(), missing));
            unitsAdded += missing;
        }
        try {
            ledger.create(creates);
        } catch (DuplicateKeyException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "a SKU of the seed was created by a concurrent request; send the seed again");
        }
        ledger.restock(restocks);
        ledger.record(entries, Reason.SEED);
        return new SeedResult(creates.size(), restocks.size(), unchanged, unitsAdded, List.copyOf(priceDiffers));
    }

    private static void refuseReservedName(String field, String sku) {
        if (RESERVED_NAME.equals(sku)) {
            throw ValidationProblem.invalid(field, "Reserved",
                    "'" + RESERVED_NAME + "' is reserved for GET /stock/totals", sku);
        }
    }

    private static void refuseOverflow(Row row, long units) {
        if (row.total() + units > Integer.MAX_VALUE) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "SKU '" + row.sku() + "' holds " + row.total()
                    + " units; " + units + " more would exceed " + Integer.MAX_VALUE);
        }
    }
}
