package io.dtxlab.chaos.workload;

import io.dtxlab.bench.Http;
import io.dtxlab.bench.ProtocolMix;
import io.dtxlab.bench.Targets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Makes a {@link Workload} from its name on the command line: {@code orders}, {@code register}, {@code async},
 * {@code semi-sync}, {@code quorum}.
 */
public final class Workloads {

    /** The workloads there are, in the order a usage message lists them. */
    public static final List<String> NAMES = List.of("orders", "register", "async", "semi-sync", "quorum");

    /**
     * How long one request of a client may wait for its answer: long enough for a SYNC write whose slave fails
     * (the master waits its replicate timeout, 2 s by default, before it answers), short enough that a client facing
     * a paused node sees the run end within seconds.
     */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private Workloads() {
    }

    /**
     * What every workload is made from.
     *
     * @param targets the cluster's nodes by id, and the admin token (seeding, replication settings)
     * @param clusterToken the cluster token, for the internal endpoints ({@code async} reads the replication log);
     *        may be null for the other workloads
     * @param seed the run's seed: every client's random choices (customer, SKU, key, value, operation) derive from it
     *        and the client's name
     * @param mix the protocols of the orders; null for 2PC only
     * @param quorumR the R each quorum read asks for; null for the cluster's
     * @param quorumW the W each quorum write asks for; null for the cluster's
     */
    public record Context(Targets targets, String clusterToken, long seed, ProtocolMix mix, Integer quorumR,
            Integer quorumW) {

        public Context {
            Objects.requireNonNull(targets, "targets");
            mix = mix == null ? ProtocolMix.only("2PC") : mix;
        }

        /** With the cluster's R and W. */
        public Context(Targets targets, String clusterToken, long seed, ProtocolMix mix) {
            this(targets, clusterToken, seed, mix, null, null);
        }
    }

    /**
     * The HTTP client a run's workload and clients share: {@link #REQUEST_TIMEOUT} per request, the targets' admin
     * token. Thread-safe; the runner closes it after {@link Workload#checkers}, which ends any request still in
     * flight.
     */
    public static Http http(Targets targets) {
        return new Http(REQUEST_TIMEOUT, targets.adminToken());
    }

    /**
     * The workload called {@code name} (any case, surrounding blanks ignored).
     *
     * @param http the client every request of the workload goes through ({@link #http(Targets)})
     * @throws IllegalArgumentException for an unknown name, listing the known ones; for {@code async} without a
     *         cluster token; when the targets lack the nodes the workload needs
     */
    public static Workload create(String name, Context context, Http http) {
        Objects.requireNonNull(http, "http");
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return switch (wanted) {
            case "orders" -> new OrdersWorkload(context.targets(), http, context.seed(), context.mix(),
                    OrdersWorkload.DEFAULT_DATA);
            case "register" -> new RegisterWorkload(context.targets(), http, context.seed());
            case "async" -> new AsyncWorkload(context.targets(), http, context.seed(), context.clusterToken(), "ASYNC");
            case "semi-sync" -> new AsyncWorkload(context.targets(), http, context.seed(), context.clusterToken(),
                    "SEMI_SYNC");
            case "quorum" -> new QuorumWorkload(context.targets(), http, context.seed(), context.quorumR(),
                    context.quorumW());
            default -> throw new IllegalArgumentException("unknown workload '" + name + "': use one of "
                    + String.join(", ", NAMES));
        };
    }
}
