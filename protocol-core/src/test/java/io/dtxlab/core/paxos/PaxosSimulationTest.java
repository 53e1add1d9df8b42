package io.dtxlab.core.paxos;

import static org.assertj.core.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * Thousands of seeded runs of a whole Paxos group under message loss, duplication, reordering, delays, partitions
 * that heal, crashes that keep only the durable state, and clocks drifting within the configured bound. Safety is
 * checked after every event ({@link Invariants}, and at most one valid lease at any simulated instant); once the
 * faults heal, a leader must be elected and a new value chosen and applied everywhere within a bounded time.
 *
 * <p>Replay one seed alone: {@code ./mvnw -o -pl protocol-core test -Dtest=PaxosSimulationTest -Dpaxos.seed=123}
 * (both group sizes run it). More seeds: {@code -Dpaxos.seeds=20000}.
 */
class PaxosSimulationTest {

    private static final int SEEDS_THREE = Integer.getInteger("paxos.seeds", 2000);
    private static final int SEEDS_FIVE = Math.max(1, SEEDS_THREE / 4);

    @Test
    void threeNodesAgreeAndRecoverUnderEveryFault() {
        runSeeds(3, SEEDS_THREE);
    }

    @Test
    void fiveNodesAgreeAndRecoverUnderEveryFault() {
        runSeeds(5, SEEDS_FIVE);
    }

    private static void runSeeds(int nodes, int seeds) {
        String only = System.getProperty("paxos.seed");
        if (only != null && !only.isBlank()) {
            run(Long.parseLong(only.trim()), nodes);
            return;
        }
        for (long seed = 1; seed <= seeds; seed++) {
            run(seed, nodes);
        }
    }

    private static void run(long seed, int nodes) {
        try {
            new Simulation(seed, nodes, Simulation.Faults.standard()).run();
        } catch (AssertionError e) {
            fail(e.getMessage() + "\nreplay: ./mvnw -o -pl protocol-core test -Dtest=PaxosSimulationTest -Dpaxos.seed="
                    + seed, e);
        }
    }
}
