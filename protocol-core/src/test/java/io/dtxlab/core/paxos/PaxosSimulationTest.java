package io.dtxlab.core.paxos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded runs of a whole Paxos group under message loss, duplication, reordering, delays, partitions
 * that heal, crashes that keep only the durable state, CPU stalls, slow disks and clocks drifting within the
 * configured bound. Safety is checked after every event ({@link Invariants}, and at most one valid lease at any
 * simulated instant); once the faults heal, a leader must be elected and a new value chosen and applied everywhere
 * within a bounded time. Calm runs (bounded delays, no losses, crashes or partitions, stalls the timing absorbs)
 * also fail on any election after the first leader is in power.
 *
 * <p>Replay one seed alone: {@code ./mvnw -o -pl protocol-core test -Dtest=PaxosSimulationTest -Dpaxos.seed=123}
 * (every test runs it, in its own mode and group size). More seeds: {@code -Dpaxos.seeds=20000} (3 nodes, chaos; the
 * other tests scale with it). A failure prints the last 40 events; {@code -Dpaxos.trace=2000} prints more.
 */
class PaxosSimulationTest {

    private static final int SEEDS_THREE = Integer.getInteger("paxos.seeds", 6000);
    private static final int SEEDS_THREE_CALM = SEEDS_THREE * 2 / 3;
    private static final int SEEDS_FIVE = Math.max(1, SEEDS_THREE / 4);
    private static final int SEEDS_FIVE_CALM = Math.max(1, SEEDS_THREE / 8);

    @Test
    void threeNodesAgreeAndRecoverUnderEveryFault() {
        runSeeds(3, SEEDS_THREE, Simulation.Faults.standard());
    }

    @Test
    void fiveNodesAgreeAndRecoverUnderEveryFault() {
        runSeeds(5, SEEDS_FIVE, Simulation.Faults.standard());
    }

    @Test
    void threeNodesKeepTheirLeaderUnderBoundedDelaysAndStalls() {
        runSeeds(3, SEEDS_THREE_CALM, Simulation.Faults.calmRun());
    }

    @Test
    void fiveNodesKeepTheirLeaderUnderBoundedDelaysAndStalls() {
        runSeeds(5, SEEDS_FIVE_CALM, Simulation.Faults.calmRun());
    }

    private static void runSeeds(int nodes, int seeds, Simulation.Faults faults) {
        String only = System.getProperty("paxos.seed");
        if (only != null && !only.isBlank()) {
            run(Long.parseLong(only.trim()), nodes, faults);
            return;
        }
        long events = 0;
        long worstLeader = 0;
        long worstProgress = 0;
        long stalls = 0;
        long batches = 0;
        long steps = 0;
        long snapshotsSent = 0;
        long snapshotsInstalled = 0;
        long restarts = 0;
        long replayed = 0;
        long heldAtRestart = 0;
        long chosenNotices = 0;
        long accepts = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            Simulation s = run(seed, nodes, faults);
            events += s.events();
            stalls += s.stalls();
            batches += s.batches();
            steps += s.batchedSteps();
            snapshotsSent += s.snapshotsSent();
            snapshotsInstalled += s.snapshotsInstalled();
            restarts += s.restarts();
            replayed += s.replayedOnRestart();
            heldAtRestart += s.appliedAtRestart();
            chosenNotices += s.chosenNotices();
            accepts += s.acceptsWithValues();
            worstLeader = Math.max(worstLeader, s.leaderAfterHeal());
            worstProgress = Math.max(worstProgress, s.progressAfterHeal());
        }
        System.out.printf("paxos simulation, %d nodes, %s: %d seeds, %d events, %d stalls, %.2f steps per disk write;"
                + " after healing, worst time to a leader %d ms, to a new value chosen everywhere %d ms;"
                + " %d snapshots sent, %d installed; %d restarts replayed %d slots (their applications held %d);"
                + " %d chosen notices (catch-ups) against %d accepts with values%n",
                nodes, faults.calm() ? "calm" : "chaos", seeds, events, stalls, (double) steps / Math.max(1, batches),
                worstLeader, worstProgress, snapshotsSent, snapshotsInstalled, restarts, replayed, heldAtRestart,
                chosenNotices, accepts);
        if (seeds >= 100) {
            assertThat(snapshotsInstalled).as("followers behind the compaction point caught up by snapshot")
                    .isPositive();
        }
    }

    private static Simulation run(long seed, int nodes, Simulation.Faults faults) {
        try {
            Simulation s = new Simulation(seed, nodes, faults);
            s.run();
            return s;
        } catch (AssertionError e) {
            fail(e.getMessage() + "\nreplay: ./mvnw -o -pl protocol-core test -Dtest=PaxosSimulationTest -Dpaxos.seed="
                    + seed, e);
            throw e;
        }
    }
}
