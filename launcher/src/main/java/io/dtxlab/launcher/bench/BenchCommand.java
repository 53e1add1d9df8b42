package io.dtxlab.launcher.bench;

import io.dtxlab.bench.ProtocolMix;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./dtx bench WORKLOAD}: measures the running cluster, the same way every time. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures the running cluster: drives a workload through a warm-up and a measured window, "
                + "scrapes every node around it, audits the cluster after it, and reports (terminal, JSON, HTML).",
                "Exit code 3 when the audit finds an invariant broken, whatever the speed."},
        subcommands = {BenchCommand.Orders.class, BenchCommand.Kv.class, BenchCommand.Quorum.class, BenchCommand.Rest.class,
                CompareCommand.class})
public final class BenchCommand implements Runnable {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "orders", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Orders on order-service, each a global transaction; seeds its data set first.")
    static final class Orders implements Callable<Integer> {

        @Option(names = "--protocol", paramLabel = "P", defaultValue = "2PC",
                description = "2PC, 3PC, NONE, or a mix like 2PC=0.5,3PC=0.5 (default ${DEFAULT-VALUE}).")
        String protocol;

        @Mixin
        WorkloadOptions.Orders orders;
        @Mixin
        LoadOptions load;
        @Mixin
        TargetOptions target;

        @Override
        public Integer call() throws Exception {
            ProtocolMix mix = WorkloadOptions.usage(() -> ProtocolMix.parse(protocol));
            return BenchRunner.run(target, load, "orders", List.of(load.run(orders.spec(mix))));
        }
    }

    @Command(name = "kv", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Master-slave replication: writes on the master, reads on random replicas.")
    static final class Kv implements Callable<Integer> {

        @Option(names = "--mode", paramLabel = "MODE", defaultValue = "SYNC",
                description = "SYNC, SEMI_SYNC or ASYNC, set on the master before the run (default ${DEFAULT-VALUE}).")
        String mode;

        @Mixin
        WorkloadOptions.Keys keys;
        @Mixin
        LoadOptions load;
        @Mixin
        TargetOptions target;

        @Override
        public Integer call() throws Exception {
            return BenchRunner.run(target, load, "kv", List.of(load.run(keys.kv(mode.toUpperCase(Locale.ROOT)))));
        }
    }

    @Command(name = "quorum", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Dynamo-style quorums: reads and writes through random replicas, with R and W.")
    static final class Quorum implements Callable<Integer> {

        @Option(names = "--r", paramLabel = "R", description = "Answers a read waits for (default: the cluster's, 2).")
        Integer r;

        @Option(names = "--w", paramLabel = "W", description = "Acknowledgements a write waits for (default: the cluster's, 2).")
        Integer w;

        @Mixin
        WorkloadOptions.Keys keys;
        @Mixin
        LoadOptions load;
        @Mixin
        TargetOptions target;

        @Override
        public Integer call() throws Exception {
            return BenchRunner.run(target, load, "quorum", List.of(load.run(keys.quorum(r, w))));
        }
    }

    @Command(name = "rest", mixinStandardHelpOptions = true, sortOptions = false,
            description = "The cluster at rest: sends nothing and reports the CPU each node spends on its own "
                    + "(heartbeats, timers, polling), as a share of one core.")
    static final class Rest implements Callable<Integer> {

        @Option(names = "--duration", paramLabel = "D", defaultValue = "60s",
                description = "How long to watch, e.g. 60s, 2m (default ${DEFAULT-VALUE}).")
        String duration;

        @Option(names = "--json", paramLabel = "FILE",
                description = "Write the JSON report here (default <data>/bench/<time>-rest.json).")
        java.nio.file.Path json;

        @Mixin
        TargetOptions target;

        @Override
        public Integer call() throws Exception {
            return BenchRunner.rest(target, LoadOptions.duration(duration, "--duration"), json);
        }
    }
}
