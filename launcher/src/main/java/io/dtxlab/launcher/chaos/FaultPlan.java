package io.dtxlab.launcher.chaos;

import java.time.Duration;
import java.util.ArrayList;
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
 */
public final class FaultPlan {

    /** One step of the schedule: stay quiet, then hold the fault for a while, then heal it. */
    public record Step(Duration quiet, Fault fault, Duration hold) {
    }

    private final Random random;
    private final ClusterControl cluster;

    public FaultPlan(long seed, ClusterControl cluster) {
        this.random = new Random(seed);
        this.cluster = cluster;
    }

    /** The next step. Asks the cluster for its leader or master when the fault needs one. */
    public Step next() {
        Duration quiet = Duration.ofMillis(2_000 + random.nextInt(4_000));
        int kind = random.nextInt(100);
        int role = random.nextInt(100);
        int pick = random.nextInt(1 << 20);
        boolean isolate = random.nextInt(100) < 60;
        long shuffleSeed = random.nextLong();
        Duration hold = Duration.ofMillis(kind < 75 ? 2_000 + random.nextInt(6_000) : 1_000 + random.nextInt(4_000));
        Fault fault;
        if (kind < 40) {
            fault = new Fault.Crash(target(role, pick));
        } else if (kind < 75) {
            fault = partition(isolate, role, pick, shuffleSeed);
        } else {
            fault = new Fault.Pause(target(role, pick));
        }
        return new Step(quiet, fault, hold);
    }

    /** Coordinators 50 % (half of it the leader), participants 30 %, replicas 20 % (half of it the master). */
    private String target(int role, int pick) {
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
