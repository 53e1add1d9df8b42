package io.dtxlab.launcher.chaos;

import io.dtxlab.chaos.check.Checker;
import io.dtxlab.chaos.check.Finding;
import io.dtxlab.chaos.check.Verdict;
import io.dtxlab.chaos.history.History;
import io.dtxlab.chaos.history.HistoryRecorder;
import io.dtxlab.chaos.workload.Workload;
import io.dtxlab.launcher.console.ProgressLog;
import io.dtxlab.launcher.control.ClusterControl;
import io.dtxlab.launcher.control.ProcessControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One chaos run: the workloads' clients and the nemesis at once for the run's duration, then every fault healed, a
 * settle time, and the checkers on the recorded history.
 *
 * <p>Order of events: each workload's {@link Workload#prepare()}; the clients (their own threads, named after their
 * process in the history: {@code orders-1}, {@code register-2}, ...) and the nemesis start together; when the
 * nemesis's time is up the clients are told to stop and joined; a safety heal (partitions healed, every node
 * resumed and running) even if the nemesis failed; then each workload's checkers, given what remains of the settle
 * time counted from the last heal.
 */
final class ChaosRun {

    /** What a run produced: its history and the checkers' verdicts. */
    record Outcome(History history, List<Verdict> verdicts, int faults, List<String> nemesisFailures) {
    }

    /** Clients must notice the end of the run within this; their requests time out well before it. */
    private static final Duration CLIENTS_STOP_WITHIN = Duration.ofSeconds(60);

    private final List<Workload> workloads;
    private final int clientsPerWorkload;
    private final ClusterControl cluster;
    private final FaultPlan plan;
    private final Duration duration;
    private final Duration settle;
    private final ProgressLog log;
    private volatile boolean running;

    ChaosRun(List<Workload> workloads, int clientsPerWorkload, ClusterControl cluster, FaultPlan plan,
            Duration duration, Duration settle, ProgressLog log) {
        this.workloads = workloads;
        this.clientsPerWorkload = clientsPerWorkload;
        this.cluster = cluster;
        this.plan = plan;
        this.duration = duration;
        this.settle = settle;
        this.log = log;
    }

    Outcome run(HistoryRecorder history) throws InterruptedException {
        for (Workload workload : workloads) {
            log.line("chaos: preparing " + workload.name());
            workload.prepare();
        }
        long origin = System.nanoTime();
        AtomicLong lastHeal = new AtomicLong(origin);
        List<String> nemesisFailures = new ArrayList<>();
        Nemesis nemesis = new Nemesis(plan, cluster, new Nemesis.Listener() {
            @Override
            public void started(Fault fault, long nanos) {
                history.faultStart(fault.describe());
                log.line("chaos: " + fault.describe());
            }

            @Override
            public void healed(Fault fault, long nanos) {
                history.faultStop(fault.describe());
                lastHeal.set(System.nanoTime());
                log.line("chaos: healed " + fault.describe());
            }

            @Override
            public void failed(Fault fault, String what, long nanos) {
                synchronized (nemesisFailures) {
                    nemesisFailures.add(fault.describe() + ": " + what);
                }
                log.line("chaos: " + fault.describe() + " failed: " + what);
            }
        }, duration, Nemesis.Time.since(origin));

        running = true;
        List<Thread> clients = new ArrayList<>();
        for (Workload workload : workloads) {
            for (int i = 1; i <= clientsPerWorkload; i++) {
                String process = workload.name() + "-" + i;
                clients.add(start("chaos-" + process, () -> workload.client(process, history, () -> running)));
            }
        }
        Thread faults = start("chaos-nemesis", nemesis);
        // Ctrl-C must not leave a node frozen by SIGSTOP or cut off by a partition
        Thread interrupted = new Thread(() -> {
            nemesis.stop();
            resumeAndHeal();
        }, "chaos-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            // the clients run for the whole duration, and on while the last fault heals
            long end = origin + duration.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(Math.max(1, Math.min(1_000, (end - System.nanoTime()) / 1_000_000)));
            }
            faults.join(ProcessControl.RESTART_WITHIN.toMillis());
        } finally {
            nemesis.stop();
            faults.join(ProcessControl.RESTART_WITHIN.toMillis());
            running = false;
            for (Thread client : clients) {
                client.join(CLIENTS_STOP_WITHIN.toMillis());
            }
            safetyHeal();
            Runtime.getRuntime().removeShutdownHook(interrupted);
        }
        lastHeal.set(Math.max(lastHeal.get(), System.nanoTime()));
        log.line("chaos: every fault healed; the checkers wait up to " + settle.toSeconds() + " s for the cluster to settle");
        List<Verdict> verdicts = new ArrayList<>();
        History recorded = history.history();
        for (Workload workload : workloads) {
            Duration left = settle.minusNanos(System.nanoTime() - lastHeal.get());
            History own = recorded.only(process -> process.startsWith(workload.name() + "-"));
            List<Checker> checkers;
            try {
                checkers = workload.checkers(left.isNegative() ? Duration.ZERO : left);
            } catch (RuntimeException e) {
                verdicts.add(undecided(workload.name(), "gathering the state after the run failed", e));
                continue;
            }
            for (Checker checker : checkers) {
                try {
                    verdicts.add(checker.check(own));
                } catch (RuntimeException e) {
                    verdicts.add(undecided(checker.name(), "the checker could not read the history", e));
                }
            }
        }
        return new Outcome(recorded, verdicts, nemesis.applied(), List.copyOf(nemesisFailures));
    }

    /** Whatever the nemesis left behind: partitions healed, every node resumed, every stopped node started. */
    private void safetyHeal() {
        List<String> all = resumeAndHeal();
        for (String node : all) {
            if (!cluster.running(node)) {
                log.line("chaos: " + node + " is down after the run; restarting it");
                cluster.restart(node);
            }
        }
    }

    /** Every node resumed (SIGCONT) and every partition healed; returns every node. */
    private List<String> resumeAndHeal() {
        List<String> all = new ArrayList<>(cluster.participants());
        all.addAll(cluster.coordinators());
        all.addAll(cluster.replicas());
        for (String node : all) {
            try {
                cluster.resume(node);
            } catch (RuntimeException e) {
                // not running: started below
            }
        }
        try {
            cluster.heal();
        } catch (RuntimeException e) {
            log.line("chaos: healing the partitions failed: " + e.getMessage());
        }
        return all;
    }

    /** A verdict that says the run cannot be judged, and why: never valid, never a violation of the system. */
    private Verdict undecided(String checker, String what, RuntimeException e) {
        log.line("chaos: " + checker + ": " + what + ": " + e);
        return Verdict.of(checker, List.of(), List.of(new Finding("undecided", null, what + ": " + e, List.of())), false);
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.start();
        return thread;
    }
}
