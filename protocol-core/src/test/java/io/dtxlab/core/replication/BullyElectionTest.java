package io.dtxlab.core.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.replication.BullyElection.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BullyElectionTest {

    @Test
    void theMostUpToDateSlaveWinsEvenWithALowerId() {
        Candidate winner = BullyElection.winner(List.of(new Candidate("replica-2", 1, 7), new Candidate("replica-3", 1, 5)));
        assertThat(winner.node()).isEqualTo("replica-2");
    }

    @Test
    void equalIndexesGoToTheHighestNodeIdAsInBully() {
        assertThat(BullyElection.winner(List.of(new Candidate("replica-2", 1, 5), new Candidate("replica-3", 1, 5))).node())
                .isEqualTo("replica-3");
        assertThat(BullyElection.winner(List.of(new Candidate("replica-9", 1, 5), new Candidate("replica-10", 1, 5))).node())
                .isEqualTo("replica-10");
    }

    @Test
    void onlyAMajorityOfTheClusterElects() {
        assertThat(BullyElection.isMajority(2, 3)).isTrue();
        assertThat(BullyElection.isMajority(1, 3)).isFalse();
        assertThat(BullyElection.isMajority(2, 4)).isFalse();
    }

    @Test
    void aReplicaGrantsANewerEpochOnlyToAWinnerAtLeastAsUpToDate() {
        Candidate self = new Candidate("replica-3", 1, 5);
        assertThat(BullyElection.grants(self, 2, new Candidate("replica-2", 1, 7))).isTrue();
        assertThat(BullyElection.grants(self, 1, new Candidate("replica-2", 1, 7))).isFalse();
        assertThat(BullyElection.grants(self, 2, new Candidate("replica-2", 1, 4))).isFalse();
    }

    /** Whatever the positions, the winner has the highest index, the epoch goes up, and a majority grants it. */
    @Test
    void seededElectionsAlwaysPickTheHighestIndexAndAGrantedNewerEpoch() {
        long seed = 20261127L;
        Random random = new Random(seed);
        for (int round = 0; round < 1000; round++) {
            int size = 2 + random.nextInt(6);
            List<Candidate> candidates = new ArrayList<>();
            for (int i = 1; i <= size; i++) {
                candidates.add(new Candidate("replica-" + i, 1 + random.nextInt(3), random.nextInt(10)));
            }
            Candidate winner = BullyElection.winner(candidates);
            long epoch = BullyElection.nextEpoch(candidates);
            long maxIndex = candidates.stream().mapToLong(Candidate::lastIndex).max().orElseThrow();
            assertThat(winner.lastIndex()).as("seed %d round %d", seed, round).isEqualTo(maxIndex);
            long grants = candidates.stream().filter(c -> c == winner || BullyElection.grants(c, epoch, winner)).count();
            assertThat(grants).as("seed %d round %d: every candidate grants the winner", seed, round).isEqualTo(size);
        }
    }
}
