package io.dtxlab.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.chaos.check.Checker;
import io.dtxlab.chaos.check.Verdict;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.HistoryRecorder;
import io.dtxlab.chaos.history.Invoke;
import io.dtxlab.chaos.workload.Workload;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.control.ClusterControl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The run's orchestration, on a pretend cluster: who is called when, and what is left behind. */
class ChaosRunTest {

    @Test
    void preparesRunsEveryClientUntilTheEndHealsAndJudgesTheWholeHistory() throws Exception {
        CountingWorkload workload = new CountingWorkload();
        StoppedCluster cluster = new StoppedCluster();
        cluster.down.add("inventory"); // as if the nemesis failed to restart it
        ChaosRun run = new ChaosRun(List.of(workload), 3, cluster, new FaultPlan(1, cluster), Duration.ofMillis(1500),
                Duration.ofSeconds(10), new ProgressLog(new PrintStream(new ByteArrayOutputStream())));

        ChaosRun.Outcome outcome;
        try (HistoryRecorder history = new HistoryRecorder(new StringWriter(), System::nanoTime)) {
            outcome = run.run(history);
        }

        assertThat(workload.calls).startsWith("prepare").endsWith("checkers");
        assertThat(workload.processes).containsExactlyInAnyOrder("toy-1", "toy-2", "toy-3");
        assertThat(workload.settle).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10));
        // every client's operations are in the history the checker saw, each completed (on a busy machine a client
        // may get only one done in the run, so count clients, not operations)
        assertThat(workload.judged.operations()).allMatch(op -> op.ok())
                .extracting(op -> op.process()).containsAll(workload.processes);
        assertThat(outcome.verdicts()).extracting(Verdict::checker).containsExactly("toy");
        // and the safety heal left every node running and the partitions healed
        assertThat(cluster.down).isEmpty();
        assertThat(cluster.healed).isTrue();
    }

    /** Counts each client's writes, one at a time, and judges nothing. */
    private static final class CountingWorkload implements Workload {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final Set<String> processes = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile Duration settle;
        volatile History judged;

        @Override
        public String name() {
            return "toy";
        }

        @Override
        public void prepare() {
            calls.add("prepare");
        }

        @Override
        public void client(String process, HistoryRecorder history, BooleanSupplier running) {
            processes.add(process);
            int n = 0;
            do { // at least one write, however late the client starts on a busy machine
                Invoke invoke = history.invoke(process, "write", "k", process + "-" + n++);
                history.ok(invoke, null);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            } while (running.getAsBoolean());
        }

        @Override
        public List<Checker> checkers(Duration settle) {
            calls.add("checkers");
            this.settle = settle;
            return List.of(new Checker() {
                @Override
                public String name() {
                    return "toy";
                }

                @Override
                public Verdict check(History history) {
                    judged = history;
                    return Verdict.of("toy", List.of(), List.of(), true);
                }
            });
        }
    }

    private static final class StoppedCluster implements ClusterControl {
        final Set<String> down = new TreeSet<>();
        volatile boolean healed;

        @Override
        public List<String> coordinators() {
            return List.of("coordinator-1");
        }

        @Override
        public List<String> participants() {
            return List.of("order", "inventory", "payment");
        }

        @Override
        public List<String> replicas() {
            return List.of("replica-1");
        }

        @Override
        public Optional<String> coordinatorLeader() {
            return Optional.empty();
        }

        @Override
        public Optional<String> replicaMaster() {
            return Optional.empty();
        }

        @Override
        public boolean running(String node) {
            return !down.contains(node);
        }

        @Override
        public void crash(String node) {
            down.add(node);
        }

        @Override
        public void restart(String node) {
            down.remove(node);
        }

        @Override
        public void pause(String node) {
        }

        @Override
        public void resume(String node) {
        }

        @Override
        public void partition(Set<String> side, Set<String> otherSide) {
        }

        @Override
        public void heal() {
            healed = true;
        }
    }
}
