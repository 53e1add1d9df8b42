package io.dtxlab.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seeds customers and SKUs through the admin seed endpoints, in chunks of {@value #CHUNK}: inventory
 * {@code POST /admin/stock/seed} and payment {@code POST /admin/accounts/seed}. Both are "at least": missing
 * items are created, those below the level topped up, so seeding twice changes nothing.
 */
public final class Seeder {

    /** The endpoints' limit per request. */
    public static final int CHUNK = 10_000;

    /**
     * @param customers accounts {@code cust-00001}..
     * @param skus SKUs {@code SKU-00001}.., unit price 1.00
     * @param stock units each SKU has at least
     * @param balance what each account holds at least
     */
    public record Spec(int customers, int skus, long stock, BigDecimal balance) {
        public Spec {
            if (customers < 0 || skus < 0 || stock < 0 || balance.signum() < 0) {
                throw new IllegalArgumentException("seed counts, stock and balance must not be negative");
            }
        }

        public static Spec defaults() {
            return new Spec(1000, 100, 1_000_000, new BigDecimal("1000000.00"));
        }
    }

    private final Targets targets;
    private final Http http;

    public Seeder(Targets targets, Http http) {
        this.targets = targets;
        this.http = http;
    }

    /**
     * Seeds, and says what it did: the endpoints' summed counters, per service, and how long it took.
     *
     * @throws IllegalStateException naming the service and its answer when a chunk is refused
     */
    public Map<String, Object> seed(Spec spec) {
        long start = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Long> stock = new LinkedHashMap<>();
        boolean priceDiffers = false;
        for (int from = 1; from <= spec.skus(); from += CHUNK) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = from; i < from + CHUNK && i <= spec.skus(); i++) {
                items.add(Map.of("sku", DataSet.sku(i), "unitPrice", BigDecimal.ONE.setScale(2), "available", spec.stock()));
            }
            Http.Response r = http.adminPost(targets.url("inventory") + "/admin/stock/seed", Map.of("items", items));
            check("inventory", r);
            sum(stock, r, "created", "restocked", "unchanged", "unitsAdded");
            var differs = r.json().path("priceDiffers");
            priceDiffers |= differs.isBoolean() ? differs.asBoolean() : differs.isNumber() ? differs.asLong() > 0
                    : differs.isArray() && differs.size() > 0;
        }
        Map<String, Long> accountCounts = new LinkedHashMap<>();
        BigDecimal amountAdded = BigDecimal.ZERO;
        for (int from = 1; from <= spec.customers(); from += CHUNK) {
            List<Map<String, Object>> items = new ArrayList<>();
            for (int i = from; i < from + CHUNK && i <= spec.customers(); i++) {
                items.add(Map.of("id", DataSet.customer(i), "balance", spec.balance()));
            }
            Http.Response r = http.adminPost(targets.url("payment") + "/admin/accounts/seed", Map.of("accounts", items));
            check("payment", r);
            sum(accountCounts, r, "created", "toppedUp", "unchanged");
            amountAdded = amountAdded.add(r.json().path("amountAdded").decimalValue());
        }
        Map<String, Object> accounts = new LinkedHashMap<>(accountCounts);
        accounts.put("amountAdded", amountAdded);
        result.put("customers", spec.customers());
        result.put("skus", spec.skus());
        result.put("stock", stock);
        if (priceDiffers) {
            result.put("warning", "some SKUs existed with a unit price other than 1.00");
        }
        result.put("accounts", accounts);
        result.put("seconds", Math.round((System.nanoTime() - start) / 1e6) / 1000.0);
        return result;
    }

    private static void check(String service, Http.Response r) {
        if (!r.ok()) {
            throw new IllegalStateException("seeding " + service + " failed: " + r.describe());
        }
    }

    private static void sum(Map<String, Long> into, Http.Response r, String... fields) {
        var json = r.json();
        for (String f : fields) {
            into.merge(f, json.path(f).asLong(), Long::sum);
        }
    }
}
