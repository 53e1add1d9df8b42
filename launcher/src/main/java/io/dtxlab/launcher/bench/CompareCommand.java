package io.dtxlab.launcher.bench;

import io.dtxlab.bench.Bench;
import io.dtxlab.bench.ProtocolMix;
import io.dtxlab.launcher.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./dtx bench compare WORKLOAD}: several configurations one after the other, and their ratios. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs several configurations of one workload one after the other and prints their ratios "
                + "(each against the first, and against the one before); one JSON and one HTML hold every run.",
                "  compare orders --protocols NONE,2PC,3PC,TCC,SAGA",
                "  compare kv --modes SYNC,SEMI_SYNC,ASYNC",
                "  compare quorum --quorums 1/1,2/2,3/1,1/3"})
final class CompareCommand implements Callable<Integer> {

    @Parameters(paramLabel = "WORKLOAD", description = "orders, kv or quorum")
    String workload;

    @Option(names = "--protocols", paramLabel = "P,...", split = ",", defaultValue = "NONE,2PC,3PC,TCC,SAGA",
            description = "orders: the protocols, in order (default ${DEFAULT-VALUE}).")
    List<String> protocols;

    @Option(names = "--modes", paramLabel = "MODE,...", split = ",", defaultValue = "SYNC,SEMI_SYNC,ASYNC",
            description = "kv: the replication modes, in order (default ${DEFAULT-VALUE}).")
    List<String> modes;

    @Option(names = "--quorums", paramLabel = "R/W,...", split = ",", defaultValue = "1/1,2/2,3/1,1/3",
            description = "quorum: the R/W pairs, in order (default ${DEFAULT-VALUE}).")
    List<String> quorums;

    @Mixin
    WorkloadOptions.Orders orders;
    @Mixin
    WorkloadOptions.Keys keys;
    @Mixin
    LoadOptions load;
    @Mixin
    TargetOptions target;

    @Override
    public Integer call() throws Exception {
        List<Bench.RunSpec> specs = new ArrayList<>();
        switch (workload.toLowerCase(Locale.ROOT)) {
            case "orders" -> {
                for (String p : protocols) {
                    specs.add(load.run(orders.spec(WorkloadOptions.usage(() -> ProtocolMix.parse(p)))));
                }
            }
            case "kv" -> modes.forEach(m -> specs.add(load.run(keys.kv(m.trim().toUpperCase(Locale.ROOT)))));
            case "quorum" -> quorums.forEach(q -> {
                String[] rw = q.trim().split("/");
                if (rw.length != 2) {
                    throw new UserError("--quorums takes R/W pairs like 2/2, not '" + q + "'", UserError.USAGE);
                }
                try {
                    specs.add(load.run(keys.quorum(Integer.parseInt(rw[0].trim()), Integer.parseInt(rw[1].trim()))));
                } catch (NumberFormatException e) {
                    throw new UserError("--quorums takes R/W pairs like 2/2, not '" + q + "'", UserError.USAGE);
                }
            });
            default -> throw new UserError("unknown workload '" + workload + "': use orders, kv or quorum", UserError.USAGE);
        }
        if (specs.size() < 2) {
            throw new UserError("compare needs at least two configurations", UserError.USAGE);
        }
        return BenchRunner.run(target, load, workload.toLowerCase(Locale.ROOT), specs);
    }
}
