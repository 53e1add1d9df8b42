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

    private static final int SEEDS_THREE = Integer.getInteger("paxos.seeds", 3000);
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
        long events = 0;
        long worstLeader = 0;
        long worstProgress = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            Simulation s = run(seed, nodes);
            events += s.events();
            worstLeader = Math.max(worstLeader, s.leaderAfterHeal());
            worstProgress = Math.max(worstProgress, s.progressAfterHeal());
        }
        System.out.printf("paxos simulation, %d nodes: %d seeds, %d events; after healing, worst time to a leader %d ms,"
                + " to a new value chosen everywhere %d ms%n", nodes, seeds, events, worstLeader, worstProgress);
    }

    private static Simulation run(long seed, int nodes) {
        try {
            Simulation s = new Simulation(seed, nodes, Simulation.Faults.standard());
            s.run();
            return s;
        } catch (AssertionError e) {
            fail(e.getMessage() + "\nreplay: ./mvnw -o -pl protocol-core test -Dtest=PaxosSimulationTest -Dpaxos.seed="
                    + seed, e);
            throw e;
        }
    }
}
