package io.dtxlab.core.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dtxlab.core.commit.coordinator.CommitRound;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchMachine;
import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Effect;
import io.dtxlab.core.commit.participant.Reply;
import io.dtxlab.core.commit.participant.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * One coordinator and three participants under a seeded network that drops, duplicates and reorders messages. The
 * coordinator times out phase 1 and retransmits phase 2 until every branch acknowledges. After every delivered
 * message: no branch is both applied and released, a reservation is applied or released at most once, and no two
 * branches end differently. At the end every branch has the decision and every reservation is settled.
 * A failing seed is printed; {@code simulate(seed)} reproduces it alone.
 */
class TwoPhaseCommitSimulationTest {

    private static final List<String> PARTICIPANTS = List.of("order", "inventory", "payment");

    @Test
    void atomicCommitHoldsUnderLossDuplicationAndReordering() {
        for (long seed = 1; seed <= 3000; seed++) {
            try {
                simulate(seed);
            } catch (AssertionError e) {
                fail("seed " + seed + " broke 2PC (reproduce with simulate(" + seed + "L)): " + e.getMessage(), e);
            }
        }
    }

    private record Message(String to, BranchCommand command) {
    }

    private static final class Branch {
        BranchState state;
        int reserved;
        int applied;
        int released;
    }

    static void simulate(long seed) {
        Random random = new Random(seed);
        Map<String, Branch> branches = new HashMap<>();
        Map<String, Boolean> resourceAgrees = new HashMap<>();
        for (String p : PARTICIPANTS) {
            branches.put(p, new Branch());
            resourceAgrees.put(p, random.nextInt(10) > 0);
        }
        CommitRound round = new CommitRound("tx-" + seed, PARTICIPANTS);
        List<Message> network = new ArrayList<>();
        PARTICIPANTS.forEach(p -> network.add(new Message(p, BranchCommand.PREPARE)));
        int timeoutAt = 5 + random.nextInt(20);

        for (int tick = 0; tick < 10_000 && !round.isEnded(); tick++) {
            if (tick == timeoutAt) {
                round.onTimeout("the prepare timeout");
            }
            Optional<Decision> decided = round.decision();
            // phase 2 is retransmitted until acknowledged (only after the decision is "stored")
            if (decided.isPresent() && random.nextInt(4) == 0) {
                BranchCommand phase2 = decided.get() == Decision.COMMIT ? BranchCommand.COMMIT : BranchCommand.ABORT;
                round.awaitingAck().forEach(p -> network.add(new Message(p, phase2)));
            }
            if (network.isEmpty()) {
                continue;
            }
            Message m = network.remove(random.nextInt(network.size())); // reordering
            if (random.nextInt(5) == 0) {
                continue; // lost
            }
            if (random.nextInt(6) == 0) {
                network.add(m); // duplicated
            }
            Branch b = branches.get(m.to());
            Step step = BranchMachine.step(b.state, m.command());
            if (step.effect() == Effect.RESERVE && !resourceAgrees.get(m.to())) {
                step = BranchMachine.refused("the resource said no");
            }
            apply(b, step);
            checkInvariants(branches);
            if (random.nextInt(5) == 0) {
                continue; // the reply is lost: the participant acted, the coordinator never heard
            }
            switch (m.command()) {
                case PREPARE:
                    round.onVote(m.to(), step.reply() == Reply.VOTE_YES ? Vote.YES : Vote.NO, step.reason());
                    break;
                default:
                    if (step.reply() == Reply.ACK) {
                        round.onAck(m.to());
                    }
                    assertThat(step.reply()).as("phase-2 reply of %s", m.to()).isNotEqualTo(Reply.CONFLICT);
            }
        }

        assertThat(round.isEnded()).as("the transaction ends once the network delivers").isTrue();
        Decision decision = round.decision().orElseThrow();
        BranchState expected = decision == Decision.COMMIT ? BranchState.COMMITTED : BranchState.ABORTED;
        for (String p : PARTICIPANTS) {
            Branch b = branches.get(p);
            assertThat(b.state).as("%s after %s", p, decision).isEqualTo(expected);
            assertThat(b.applied + b.released).as("%s settled its reservation", p).isEqualTo(b.reserved);
        }
        if (decision == Decision.COMMIT) {
            assertThat(resourceAgrees).as("COMMIT only when every resource agreed").doesNotContainValue(false);
        }
    }

    private static void apply(Branch b, Step step) {
        switch (step.effect()) {
            case RESERVE:
                b.reserved++;
                break;
            case APPLY:
                b.applied++;
                break;
            case RELEASE:
                b.released++;
                break;
            default:
                break;
        }
        if (step.changesState()) {
            b.state = step.next();
        }
    }

    private static void checkInvariants(Map<String, Branch> branches) {
        boolean committed = false;
        boolean aborted = false;
        for (var e : branches.entrySet()) {
            Branch b = e.getValue();
            assertThat(b.reserved).as("%s reserved at most once", e.getKey()).isLessThanOrEqualTo(1);
            assertThat(b.applied + b.released).as("%s applied or released at most once", e.getKey())
                    .isLessThanOrEqualTo(b.reserved);
            committed |= b.state == BranchState.COMMITTED;
            aborted |= b.state == BranchState.ABORTED;
        }
        assertThat(committed && aborted).as("no branch commits while another aborts").isFalse();
    }
}
