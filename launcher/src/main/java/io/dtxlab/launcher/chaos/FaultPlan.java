package io.dtxlab.launcher.chaos;

import io.dtxlab.launcher.control.ClusterControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The nemesis's schedule, drawn from a seed: how long to stay quiet, which fault, on which node, for how long.
 *
 * <p>The same seed gives the same sequence of draws. A target that depends on the cluster's state (the leading
 * coordinator, the master replica) is resolved when the fault starts; every draw is made whether or not it is used,
 * so the sequence never shifts with what the cluster answered.
 *
 * <p>Weights: crashes 40 %, partitions 35 %, pauses 25 %. A crash or a pause hits the leading coordinator half the
 * time it hits a coordinator, since leader faults are the ones that exercise election and recovery; a replica
 * crash hits the master half the time. A partition isolates one node (60 %) or splits the cluster in two halves.
 *
 * <p>A plan may be narrowed to some kinds (their weights keep their proportions) and to one target (then a partition
 * always isolates it): {@code --faults crash --target master} makes failovers of the master replica.
 */
public final class FaultPlan {

    /** One step of the schedule: stay quiet, then hold the fault for a while, then heal it. */
    public record Step(Duration quiet, Fault fault, Duration hold) {
    }

    /** The kinds of fault, with their weights in percent. */
    public enum Kind {
        CRASH(40), PARTITION(35), PAUSE(25);

        private final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    /** Which nodes a fault may hit. */
    public enum Target {
        /** Any node, with the weights above. */
        ANY,
        /** The leading coordinator. */
        LEADER,
        /** Any coordinator. */
        COORDINATORS,
        /** Any participant: order, inventory, payment. */
        PARTICIPANTS,
        /** The master replica. */
        MASTER,
        /** Any replica. */
        REPLICAS
    }

    private final Random random;
    private final ClusterControl cluster;
    private final List<Kind> kinds;
    private final Target target;

    /** Every kind of fault, on any node. */
    public FaultPlan(long seed, ClusterControl cluster) {
        this(seed, cluster, EnumSet.allOf(Kind.class), Target.ANY);
    }

    /**
     * @param kinds the kinds of fault to draw from, at least one
     * @param target the nodes a fault may hit
     */
    public FaultPlan(long seed, ClusterControl cluster, Set<Kind> kinds, Target target) {
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("a fault plan needs at least one kind of fault");
        }
        this.random = new Random(seed);
        this.cluster = cluster;
        this.kinds = List.copyOf(EnumSet.copyOf(kinds));
        this.target = target;
    }

    /** The next step. Asks the cluster for its leader or master when the fault needs one. */
    public Step next() {
        Duration quiet = Duration.ofMillis(2_000 + random.nextInt(4_000));
        int kind = random.nextInt(100);
        int role = random.nextInt(100);
        int pick = random.nextInt(1 << 20);
        boolean isolate = random.nextInt(100) < 60;
        long shuffleSeed = random.nextLong();
        Kind chosen = kind(kind);
        Duration hold = Duration.ofMillis(chosen != Kind.PAUSE ? 2_000 + random.nextInt(6_000)
                : 1_000 + random.nextInt(4_000));
        Fault fault = switch (chosen) {
            case CRASH -> new Fault.Crash(target(role, pick));
            case PARTITION -> partition(isolate || target != Target.ANY, role, pick, shuffleSeed);
            case PAUSE -> new Fault.Pause(target(role, pick));
        };
        return new Step(quiet, fault, hold);
    }

    /** The kind a draw of 0..99 falls on, among the plan's kinds, in proportion to their weights. */
    private Kind kind(int draw) {
        int total = kinds.stream().mapToInt(k -> k.weight).sum();
        int at = draw * total / 100;
        for (Kind k : kinds) {
            if (at < k.weight) {
                return k;
            }
            at -= k.weight;
        }
        return kinds.get(kinds.size() - 1);
    }

    /** Coordinators 50 % (half of it the leader), participants 30 %, replicas 20 % (half of it the master). */
    private String target(int role, int pick) {
        switch (target) {
            case LEADER:
                return or(cluster.coordinatorLeader(), cluster.coordinators(), pick);
            case COORDINATORS:
                return of(cluster.coordinators(), pick);
            case PARTICIPANTS:
                return of(cluster.participants(), pick);
            case MASTER:
                return or(cluster.replicaMaster(), cluster.replicas(), pick);
            case REPLICAS:
                return of(cluster.replicas(), pick);
            default:
                break;
        }
        if (role < 25) {
            return or(cluster.coordinatorLeader(), cluster.coordinators(), pick);
        }
        if (role < 50) {
            return of(cluster.coordinators(), pick);
        }
        if (role < 80) {
            return of(cluster.participants(), pick);
        }
        if (role < 90) {
            return or(cluster.replicaMaster(), cluster.replicas(), pick);
        }
        return of(cluster.replicas(), pick);
    }

    private Fault partition(boolean isolate, int role, int pick, long shuffleSeed) {
        List<String> all = new ArrayList<>();
        all.addAll(cluster.participants());
        all.addAll(cluster.coordinators());
        all.addAll(cluster.replicas());
        if (isolate) {
            String alone = target(role, pick);
            Set<String> rest = new TreeSet<>(all);
            rest.remove(alone);
            return new Fault.Partition(Set.of(alone), rest);
        }
        java.util.Collections.shuffle(all, new Random(shuffleSeed));
        return new Fault.Partition(new TreeSet<>(all.subList(0, all.size() / 2)),
                new TreeSet<>(all.subList(all.size() / 2, all.size())));
    }

    private static String or(Optional<String> preferred, List<String> fallback, int pick) {
        return preferred.orElseGet(() -> of(fallback, pick));
    }

    private static String of(List<String> nodes, int pick) {
        return nodes.get(pick % nodes.size());
    }
}
