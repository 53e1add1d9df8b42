package io.dtxlab.launcher.chaos;

import io.dtxlab.launcher.control.ClusterControl;
import java.time.Duration;

/**
 * Applies the plan's faults to the cluster one at a time, each after a quiet spell and healed after its hold, until
 * its time is up or it is stopped; then heals whatever is still in effect. Each start and heal is reported, with
 * the time it took effect, to a {@link Listener} (the history).
 *
 * <p>Healing a crash means restarting the node from its files and waiting until it is healthy, so the next fault
 * never lands on a cluster still missing a node. One fault at a time keeps every anomaly attributable to one fault.
 */
public final class Nemesis implements Runnable {

    /** Told when a fault takes effect and when it is healed; {@code nanos} is the caller's monotonic clock. */
    public interface Listener {
        void started(Fault fault, long nanos);

        void healed(Fault fault, long nanos);

        /** A fault could not be applied or healed; the run goes on and the report says so. */
        void failed(Fault fault, String what, long nanos);
    }

    /** The run's monotonic clock, and a way to wait on it; a test gives one that only pretends to wait. */
    public interface Time {
        long nanos();

        /** Waits about {@code millis} ms (a short step, so that a stop is seen soon). */
        void sleep(long millis) throws InterruptedException;

        /** Real time: {@code origin} is the run's zero on {@link System#nanoTime()}. */
        static Time since(long origin) {
            return new Time() {
                @Override
                public long nanos() {
                    return System.nanoTime() - origin;
                }

                @Override
                public void sleep(long millis) throws InterruptedException {
                    Thread.sleep(millis);
                }
            };
        }
    }

    private final FaultPlan plan;
    private final ClusterControl cluster;
    private final Listener listener;
    private final Time time;
    private final long endNanos;
    private volatile boolean stopped;
    private volatile int applied;

    /**
     * @param runFor how long to keep applying faults, from now; no fault starts unless its hold ends within it
     */
    public Nemesis(FaultPlan plan, ClusterControl cluster, Listener listener, Duration runFor, Time time) {
        this.plan = plan;
        this.cluster = cluster;
        this.listener = listener;
        this.time = time;
        this.endNanos = time.nanos() + runFor.toNanos();
    }

    /** Asks the run to end: the fault in effect, if any, is healed at once. */
    public void stop() {
        stopped = true;
    }

    /** How many faults took effect. */
    public int applied() {
        return applied;
    }

    @Override
    public void run() {
        while (!stopped) {
            FaultPlan.Step step = plan.next();
            if (time.nanos() + step.quiet().toNanos() + step.hold().toNanos() > endNanos
                    || !sleep(step.quiet())) {
                return;
            }
            Fault fault = step.fault();
            try {
                apply(fault);
            } catch (RuntimeException e) {
                listener.failed(fault, "apply: " + e.getMessage(), time.nanos());
                healQuietly(fault);
                continue;
            }
            applied++;
            listener.started(fault, time.nanos());
            sleep(step.hold());
            try {
                heal(fault);
                listener.healed(fault, time.nanos());
            } catch (RuntimeException e) {
                listener.failed(fault, "heal: " + e.getMessage(), time.nanos());
            }
        }
    }

    private void apply(Fault fault) {
        if (fault instanceof Fault.Crash crash) {
            cluster.crash(crash.node());
        } else if (fault instanceof Fault.Partition partition) {
            cluster.partition(partition.side(), partition.otherSide());
        } else if (fault instanceof Fault.Pause pause) {
            cluster.pause(pause.node());
        }
    }

    private void heal(Fault fault) {
        if (fault instanceof Fault.Crash crash) {
            cluster.restart(crash.node());
        } else if (fault instanceof Fault.Partition) {
            cluster.heal();
        } else if (fault instanceof Fault.Pause pause) {
            cluster.resume(pause.node());
        }
    }

    private void healQuietly(Fault fault) {
        try {
            heal(fault);
        } catch (RuntimeException ignored) {
            // it may never have taken effect; the run's final heal tries again
        }
    }

    /** Sleeps in short steps so that {@link #stop()} cuts a quiet spell or a hold short; false once stopped. */
    private boolean sleep(Duration duration) {
        long until = time.nanos() + duration.toNanos();
        try {
            while (!stopped && time.nanos() < until) {
                time.sleep(Math.max(1, Math.min(100, (until - time.nanos()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
        return !stopped;
    }
}
