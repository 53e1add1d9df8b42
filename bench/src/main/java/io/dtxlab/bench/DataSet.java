package io.dtxlab.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The customers and SKUs orders pick from, uniformly. The seeded naming is fixed: {@code cust-00001}..,
 * {@code SKU-00001}.., every seeded SKU at unit price 1.00. {@code SKU-00001} (the first SKU) is the hot one.
 */
public record DataSet(List<String> customers, List<String> skus) {

    public DataSet {
        if (customers.isEmpty() || skus.isEmpty()) {
            throw new IllegalArgumentException("a data set needs at least one customer and one SKU");
        }
        customers = List.copyOf(customers);
        skus = List.copyOf(skus);
    }

    /** The first {@code customers} seeded customers and {@code skus} seeded SKUs. */
    public static DataSet seeded(int customers, int skus) {
        if (customers < 1 || skus < 1) {
            throw new IllegalArgumentException("customers and skus must be at least 1");
        }
        return new DataSet(IntStream.rangeClosed(1, customers).mapToObj(DataSet::customer).toList(),
                IntStream.rangeClosed(1, skus).mapToObj(DataSet::sku).toList());
    }

    public static String customer(int n) {
        return String.format(Locale.ROOT, "cust-%05d", n);
    }

    public static String sku(int n) {
        return String.format(Locale.ROOT, "SKU-%05d", n);
    }

    public String hotSku() {
        return skus.get(0);
    }
}
