package io.dtxlab.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.launcher.control.ClusterControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The nemesis on a pretend cluster and a pretend clock: what it does, in what order, from a seed. */
class NemesisTest {

    @Test
    void theSameSeedDrawsTheSameFaultsAndAnotherSeedOthers() {
        assertThat(schedule(7, 40)).isEqualTo(schedule(7, 40));
        assertThat(schedule(7, 40)).isNotEqualTo(schedule(8, 40));
    }

    @Test
    void seedOneDrawsTheScheduleThatFoundTheDirtyReadOfTheSyncMaster() {
        // README, chaos runs: with coordinator-2 leading and replica-1 master, as on ./dtx up
        assertThat(schedule(1, 5)).containsExactly("pause coordinator-2",
                "partition [order] | [coordinator-1, coordinator-2, coordinator-3, inventory, payment, replica-1, "
                        + "replica-2, replica-3]",
                "partition [coordinator-1, coordinator-3, order, payment] | [coordinator-2, inventory, replica-1, "
                        + "replica-2, replica-3]",
                "partition [replica-3] | [coordinator-1, coordinator-2, coordinator-3, inventory, order, payment, "
                        + "replica-1, replica-2]",
                "crash inventory");
    }

    @Test
    void everyKindOfFaultComesUpAndTheLeaderIsHitMoreThanAnyOtherCoordinator() {
        List<String> faults = schedule(1, 2_000);
        assertThat(faults).anyMatch(f -> f.startsWith("crash ")).anyMatch(f -> f.startsWith("pause "))
                .anyMatch(f -> f.startsWith("partition [") && f.contains("] | ["));
        long leader = faults.stream().filter(f -> f.equals("crash coordinator-2")).count();
        long other = faults.stream().filter(f -> f.equals("crash coordinator-1")).count();
        assertThat(leader).isGreaterThan(2 * other);
    }

    @Test
    void aNarrowedPlanDrawsOnlyItsKindsOnItsTarget() {
        FaultPlan plan = new FaultPlan(9, new FakeCluster(), java.util.EnumSet.of(FaultPlan.Kind.CRASH),
                FaultPlan.Target.MASTER);
        for (int i = 0; i < 200; i++) {
            assertThat(plan.next().fault().describe()).isEqualTo("crash replica-1");
        }
        FaultPlan partitions = new FaultPlan(9, new FakeCluster(), java.util.EnumSet.of(FaultPlan.Kind.PARTITION),
                FaultPlan.Target.LEADER);
        assertThat(partitions.next().fault().describe()).startsWith("partition [coordinator-2] | [");
    }

    @Test
    void faultsComeOneAtATimeEachHealedBeforeTheNextAndAllWithinTheRun() {
        FakeCluster cluster = new FakeCluster();
        FakeTime time = new FakeTime();
        List<String> events = new ArrayList<>();
        Nemesis nemesis = new Nemesis(new FaultPlan(42, cluster), cluster, recorder(events), Duration.ofMinutes(5), time);

        nemesis.run();

        assertThat(nemesis.applied()).isGreaterThan(10);
        assertThat(events).hasSize(2 * nemesis.applied());
        for (int i = 0; i < events.size(); i += 2) {
            assertThat(events.get(i)).startsWith("start ");
            assertThat(events.get(i + 1)).isEqualTo("heal " + events.get(i).substring("start ".length()));
        }
        assertThat(time.nanos()).isLessThanOrEqualTo(Duration.ofMinutes(5).toNanos());
        // and the cluster was left as it was found
        assertThat(cluster.down).isEmpty();
        assertThat(cluster.paused).isEmpty();
        assertThat(cluster.partitioned).isFalse();
    }

    @Test
    void aFaultThatCannotBeAppliedIsReportedAndTheRunGoesOn() {
        FakeCluster cluster = new FakeCluster();
        cluster.refusePause = true;
        List<String> events = new ArrayList<>();
        Nemesis nemesis = new Nemesis(new FaultPlan(3, cluster), cluster, recorder(events), Duration.ofMinutes(5),
                new FakeTime());

        nemesis.run();

        assertThat(events).anyMatch(e -> e.startsWith("failed pause ") && e.contains("apply: SIGSTOP refused"));
        assertThat(events).anyMatch(e -> e.startsWith("start crash "));
        assertThat(events).noneMatch(e -> e.startsWith("start pause "));
    }

    @Test
    void stoppingInTheMiddleOfAFaultHealsIt() {
        FakeCluster cluster = new FakeCluster();
        List<String> events = new ArrayList<>();
        FakeTime time = new FakeTime();
        Nemesis[] nemesis = new Nemesis[1];
        Nemesis.Listener stopOnFirst = new Nemesis.Listener() {
            @Override
            public void started(Fault fault, long nanos) {
                events.add("start " + fault.describe());
                nemesis[0].stop();
            }

            @Override
            public void healed(Fault fault, long nanos) {
                events.add("heal " + fault.describe());
            }

            @Override
            public void failed(Fault fault, String what, long nanos) {
                events.add("failed " + fault.describe());
            }
        };
        nemesis[0] = new Nemesis(new FaultPlan(5, cluster), cluster, stopOnFirst, Duration.ofMinutes(5), time);

        nemesis[0].run();

        assertThat(events).hasSize(2);
        assertThat(events.get(1)).startsWith("heal ");
        assertThat(cluster.down).isEmpty();
        assertThat(cluster.paused).isEmpty();
        assertThat(cluster.partitioned).isFalse();
    }

    private static List<String> schedule(long seed, int steps) {
        FaultPlan plan = new FaultPlan(seed, new FakeCluster());
        List<String> faults = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            FaultPlan.Step step = plan.next();
            assertThat(step.quiet()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(6));
            assertThat(step.hold()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(8));
            faults.add(step.fault().describe());
        }
        return faults;
    }

    private static Nemesis.Listener recorder(List<String> events) {
        return new Nemesis.Listener() {
            @Override
            public void started(Fault fault, long nanos) {
                events.add("start " + fault.describe());
            }

            @Override
            public void healed(Fault fault, long nanos) {
                events.add("heal " + fault.describe());
            }

            @Override
            public void failed(Fault fault, String what, long nanos) {
                events.add("failed " + fault.describe() + ": " + what);
            }
        };
    }

    /** Waits by moving its clock on. */
    private static final class FakeTime implements Nemesis.Time {
        private long nanos;

        @Override
        public long nanos() {
            return nanos;
        }

        @Override
        public void sleep(long millis) {
            nanos += millis * 1_000_000;
        }
    }

    /** Keeps track of what is broken, and refuses a second fault while one is in effect. */
    private static final class FakeCluster implements ClusterControl {
        final Set<String> down = new TreeSet<>();
        final Set<String> paused = new TreeSet<>();
        boolean partitioned;
        boolean refusePause;

        @Override
        public List<String> coordinators() {
            return List.of("coordinator-1", "coordinator-2", "coordinator-3");
        }

        @Override
        public List<String> participants() {
            return List.of("order", "inventory", "payment");
        }

        @Override
        public List<String> replicas() {
            return List.of("replica-1", "replica-2", "replica-3");
        }

        @Override
        public Optional<String> coordinatorLeader() {
            return Optional.of("coordinator-2");
        }

        @Override
        public Optional<String> replicaMaster() {
            return Optional.of("replica-1");
        }

        @Override
        public boolean running(String node) {
            return !down.contains(node);
        }

        @Override
        public void crash(String node) {
            healthy();
            down.add(node);
        }

        @Override
        public void restart(String node) {
            assertThat(down.remove(node)).as("%s was down", node).isTrue();
        }

        @Override
        public void pause(String node) {
            healthy();
            if (refusePause) {
                throw new IllegalStateException("SIGSTOP refused");
            }
            paused.add(node);
        }

        @Override
        public void resume(String node) {
            paused.remove(node);
        }

        @Override
        public void partition(Set<String> side, Set<String> otherSide) {
            healthy();
            assertThat(new TreeSet<>(side)).doesNotContainAnyElementsOf(otherSide);
            partitioned = true;
        }

        @Override
        public void heal() {
            partitioned = false;
        }

        private void healthy() {
            assertThat(down).as("a fault while a node is down").isEmpty();
            assertThat(paused).as("a fault while a node is paused").isEmpty();
            assertThat(partitioned).as("a fault while partitioned").isFalse();
        }
    }
}
