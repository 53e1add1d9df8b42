package io.dtxlab.launcher.bench;

import io.dtxlab.bench.DataSet;
import io.dtxlab.bench.KvWorkload;
import io.dtxlab.bench.OrdersWorkload;
import io.dtxlab.bench.ProtocolMix;
import io.dtxlab.bench.QuorumWorkload;
import io.dtxlab.bench.Seeder;
import io.dtxlab.launcher.UserError;
import java.math.BigDecimal;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** The options of each workload; {@code compare} takes them all. */
final class WorkloadOptions {

    private WorkloadOptions() {
    }

    static <T> T usage(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), UserError.USAGE);
        }
    }

    /** What orders pick from, and the seeding before the run. */
    static final class Orders {

        @Option(names = "--customers", paramLabel = "N", defaultValue = "1000",
                description = "Customers cust-00001.. to pick from, uniformly (default ${DEFAULT-VALUE}).")
        int customers;

        @Option(names = "--skus", paramLabel = "M", defaultValue = "100",
                description = "SKUs SKU-00001.. to pick from, uniformly (default ${DEFAULT-VALUE}).")
        int skus;

        @Option(names = "--customer-ids", paramLabel = "ID,...", split = ",",
                description = "Pick from these customers instead (e.g. alice); nothing is seeded then.")
        List<String> customerIds;

        @Option(names = "--sku-ids", paramLabel = "SKU,...", split = ",",
                description = "Pick from these SKUs instead (the first is the hot one); nothing is seeded then.")
        List<String> skuIds;

        @Option(names = "--hot", paramLabel = "F", defaultValue = "0",
                description = "Send the fraction F of orders to the first SKU (SKU-00001), to show lock contention.")
        double hot;

        @Option(names = "--quantity", paramLabel = "Q", defaultValue = "1", description = "Units per order (default ${DEFAULT-VALUE}).")
        int quantity;

        @Option(names = "--no-seed", description = "Do not seed the data set first.")
        boolean noSeed;

        @Option(names = "--stock", paramLabel = "S", defaultValue = "1000000",
                description = "Seeded units per SKU, at least (default ${DEFAULT-VALUE}).")
        long stock;

        @Option(names = "--balance", paramLabel = "B", defaultValue = "1000000.00",
                description = "Seeded balance per customer, at least (default ${DEFAULT-VALUE}).")
        BigDecimal balance;

        OrdersWorkload.Spec spec(ProtocolMix mix) {
            return usage(() -> {
                boolean explicit = customerIds != null || skuIds != null;
                DataSet seeded = DataSet.seeded(customers, skus);
                DataSet data = new DataSet(customerIds != null ? customerIds : seeded.customers(),
                        skuIds != null ? skuIds : seeded.skus());
                Seeder.Spec seed = noSeed || explicit ? null : new Seeder.Spec(customers, skus, stock, balance);
                return new OrdersWorkload.Spec(mix, data, hot, quantity, seed);
            });
        }
    }

    /** Keys and reads, shared by kv and quorum. */
    static final class Keys {

        @Option(names = "--read-fraction", paramLabel = "F", defaultValue = "0.5",
                description = "The share of reads (default ${DEFAULT-VALUE}).")
        double readFraction;

        @Option(names = "--keys", paramLabel = "K", defaultValue = "1000",
                description = "Keys bench-00001.. to pick from, uniformly (default ${DEFAULT-VALUE}).")
        int keys;

        @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100",
                description = "Characters per written value (default ${DEFAULT-VALUE}).")
        int valueSize;

        KvWorkload.Spec kv(String mode) {
            return usage(() -> new KvWorkload.Spec(mode, readFraction, keys, valueSize));
        }

        QuorumWorkload.Spec quorum(Integer r, Integer w) {
            return usage(() -> new QuorumWorkload.Spec(r, w, readFraction, keys, valueSize));
        }
    }
}
