package io.dtxlab.chaos.workload;

import io.dtxlab.chaos.check.Checker;
import io.dtxlab.chaos.history.HistoryRecorder;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * What the clients of a chaos run do, and how the run is judged afterwards. A run calls {@link #prepare()} once,
 * then {@link #client} on each client's own thread while the nemesis works, then, once every fault is healed,
 * {@link #checkers(Duration)}.
 *
 * <p>Every operation a client starts is recorded as an invoke and then exactly one of ok (it happened, with what the
 * client was told), fail (it certainly did not happen: the service refused it before acting) or info (unknown: a
 * timeout, a cut connection, a 5xx after which the effect may exist, a 202). When in doubt, info: calling an
 * operation that happened a fail makes the checkers wrong, calling it info only makes them search more.
 */
public interface Workload {

    /** Its name on the command line and in the report: {@code orders}, {@code register}, {@code async}, {@code quorum}. */
    String name();

    /**
     * Before any fault: checks the cluster is ready for this workload (and says plainly what is missing), sets what it
     * needs (a replication mode, seeded customers and stock) and takes the baseline the checkers compare against.
     *
     * @throws IllegalStateException when the cluster is not ready, with what to do about it
     */
    void prepare();

    /**
     * One client's loop, run on its own thread until {@code running} turns false: one operation at a time, each
     * recorded in {@code history} under {@code process}. Never throws; every request has a timeout, so the loop sees
     * {@code running} turn false within a few seconds even against a paused node.
     */
    void client(String process, HistoryRecorder history, BooleanSupplier running);

    /**
     * After the run, with every fault healed: gives the cluster up to {@code settle} to finish what is under way (in-doubt
     * transactions resolved, replicas caught up), gathers the final state, and returns the checkers that judge the
     * history against it.
     */
    List<Checker> checkers(Duration settle);
}
