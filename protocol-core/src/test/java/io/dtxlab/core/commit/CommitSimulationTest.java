package io.dtxlab.core.commit;

import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded runs of the production coordinator machines and participant branches under crashes, loss,
 * duplication, reordering, delays and partitions ({@link CommitSimulation}); the invariants are checked after every
 * event, and termination once the faults stop.
 *
 * <p>Replay one seed alone (with a trace of its last events): {@code ./mvnw -o -pl protocol-core test
 * -Dtest=CommitSimulationTest -Dcommit.seed=123} (every protocol runs it). More seeds: {@code -Dcommit.seeds=100000}.
 */
class CommitSimulationTest {

    private static final int SEEDS = Integer.getInteger("commit.seeds", 10_000);

    @Test
    void twoPhaseCommitNeverMixesOutcomesAndAlwaysFinishesOnceTheCoordinatorIsBack() {
        Summary s = runSeeds(CommitProtocol.TWO_PHASE);
        if (!s.anomalies.isEmpty()) {
            fail("2PC must never mix outcomes, yet seeds " + s.anomalies + " did");
        }
    }

    @Test
    void threePhaseCommitMixesOutcomesOnlyUnderAPartition() {
        runSeeds(CommitProtocol.THREE_PHASE); // a mixed outcome without a partition fails the run itself
    }

    @Test
    void tccNeverMixesOutcomesAndAlwaysFinishesOnceTheCoordinatorIsBack() {
        Summary s = runSeeds(CommitProtocol.TCC);
        if (!s.anomalies.isEmpty()) {
            fail("TCC must never mix outcomes, yet seeds " + s.anomalies + " did");
        }
    }

    @Test
    void aSagaEndsWithEveryStepAppliedOrEveryAppliedStepCompensated() {
        runSeeds(CommitProtocol.SAGA);
    }

    @Test
    void aSagaWithSemanticLocksEndsWithEveryPendingEffectConfirmedOrCancelled() {
        runSeeds(CommitProtocol.SAGA, true);
    }

    private static final class Summary {
        long events;
        long messages;
        long transactions;
        long commits;
        long aborts;
        long coordinatorCrashes;
        long participantCrashes;
        long fenced;
        long partitioned;
        long worstFinish;
        final List<Long> anomalies = new ArrayList<>();
    }

    private static Summary runSeeds(CommitProtocol protocol) {
        return runSeeds(protocol, false);
    }

    private static Summary runSeeds(CommitProtocol protocol, boolean locking) {
        String label = protocol.label() + (locking ? " with semantic locks" : "");
        String only = System.getProperty("commit.seed");
        if (only != null && !only.isBlank()) {
            long seed = Long.parseLong(only.trim());
            CommitSimulation s = run(seed, protocol, locking, true);
            System.out.printf("%s seed %d: %s%n%s%n", label, seed, s.trace(),
                    s.anomaly() ? "mixed outcome under a partition" : "no mixed outcome");
            return new Summary();
        }
        Summary sum = new Summary();
        long started = System.nanoTime();
        for (long seed = 1; seed <= SEEDS; seed++) {
            CommitSimulation s = run(seed, protocol, locking, false);
            sum.events += s.events();
            sum.messages += s.messages();
            sum.transactions += s.transactions();
            sum.commits += s.decisions(Decision.COMMIT);
            sum.aborts += s.decisions(Decision.ABORT);
            sum.coordinatorCrashes += s.coordinatorCrashes();
            sum.participantCrashes += s.participantCrashes();
            sum.fenced += s.fenced();
            sum.partitioned += s.partitioned() ? 1 : 0;
            sum.worstFinish = Math.max(sum.worstFinish, s.finishedAfterHealing());
            if (s.anomaly()) {
                sum.anomalies.add(seed);
            }
        }
        System.out.printf("%s simulation: %d seeds, %d transactions (%d COMMIT, %d ABORT), %d events, %d messages,"
                        + " %d coordinator and %d participant crashes, %d stale messages fenced, %d runs with a"
                        + " partition; all terminated,"
                        + " the last END %d ms after the faults stopped; %d s%n",
                label, SEEDS, sum.transactions, sum.commits, sum.aborts, sum.events, sum.messages,
                sum.coordinatorCrashes, sum.participantCrashes, sum.fenced, sum.partitioned, sum.worstFinish,
                (System.nanoTime() - started) / 1_000_000_000);
        if (protocol == CommitProtocol.THREE_PHASE) {
            System.out.printf("3PC mixed outcomes: %d runs, every one with a partition%s%n", sum.anomalies.size(),
                    sum.anomalies.isEmpty() ? "" : "; seeds " + sum.anomalies);
        }
        return sum;
    }

    private static CommitSimulation run(long seed, CommitProtocol protocol, boolean locking, boolean tracing) {
        CommitSimulation s = new CommitSimulation(seed, protocol, locking, tracing);
        try {
            s.run();
            return s;
        } catch (AssertionError | RuntimeException e) {
            String traced = e.getMessage();
            if (!tracing) {
                try {
                    new CommitSimulation(seed, protocol, locking, true).run();
                } catch (AssertionError | RuntimeException again) {
                    traced = again.getMessage();
                }
            }
            fail(traced + "\nreplay: ./mvnw -o -pl protocol-core test -Dtest=CommitSimulationTest -Dcommit.seed="
                    + seed, e);
            throw e;
        }
    }
}
