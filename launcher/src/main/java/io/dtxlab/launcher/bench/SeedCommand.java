package io.dtxlab.launcher.bench;

import io.dtxlab.bench.ReportWriter;
import io.dtxlab.bench.Seeder;
import io.dtxlab.launcher.UserError;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./dtx seed}: the benchmark's data set, "at least" (seeding twice changes nothing). */
@Command(name = "seed", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Creates or tops up customers cust-00001.. and SKUs SKU-00001.. (unit price 1.00), in chunks of "
                + "10,000; idempotent.")
public final class SeedCommand implements Callable<Integer> {

    @Option(names = "--customers", paramLabel = "N", defaultValue = "1000", description = "Accounts (default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--skus", paramLabel = "M", defaultValue = "100", description = "SKUs (default ${DEFAULT-VALUE}).")
    int skus;

    @Option(names = "--stock", paramLabel = "S", defaultValue = "1000000",
            description = "Units per SKU, at least (default ${DEFAULT-VALUE}).")
    long stock;

    @Option(names = "--balance", paramLabel = "B", defaultValue = "1000000.00",
            description = "Balance per account, at least (default ${DEFAULT-VALUE}).")
    BigDecimal balance;

    @Option(names = "--timeout", paramLabel = "D", defaultValue = "2m",
            description = "How long one chunk may take (default ${DEFAULT-VALUE}).")
    String timeout;

    @Mixin
    TargetOptions target;

    @Override
    public Integer call() {
        Seeder.Spec spec = WorkloadOptions.usage(() -> new Seeder.Spec(customers, skus, stock, balance));
        Duration limit = LoadOptions.duration(timeout, "--timeout");
        Map<String, Object> done;
        try {
            done = BenchRunner.bench(target, quietLoad()).seed(spec, limit);
        } catch (IllegalStateException e) {
            throw new UserError("seed: " + e.getMessage());
        }
        System.out.printf("Seeded %d customers and %d SKUs in %s s%n", customers, skus, done.get("seconds"));
        System.out.println(ReportWriter.json(done));
        return 0;
    }

    private static LoadOptions quietLoad() {
        LoadOptions load = new LoadOptions();
        load.quiet = true;
        return load;
    }
}
