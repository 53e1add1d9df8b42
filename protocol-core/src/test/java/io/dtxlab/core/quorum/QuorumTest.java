package io.dtxlab.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuorumTest {

    @Test
    void rPlusWAboveNOverlapsAndRPlusWAtMostNWarnsOfStaleReads() {
        assertThat(new Quorum(3, 2, 2).overlapping()).isTrue();
        assertThat(new Quorum(3, 2, 2).staleWarning()).isNull();
        assertThat(new Quorum(3, 1, 3).overlapping()).isTrue();
        assertThat(new Quorum(3, 1, 1).overlapping()).isFalse();
        assertThat(new Quorum(3, 1, 2).staleWarning()).contains("R + W = 3").contains("N = 3").contains("stale");
    }

    @Test
    void rOrWOutsideOneToNIsRefusedWithAReason() {
        assertThatThrownBy(() -> new Quorum(3, 4, 2)).hasMessage(
                "R=4 is more than N=3: a read cannot wait for more replicas than hold the key");
        assertThatThrownBy(() -> new Quorum(3, 2, 0)).hasMessage(
                "W=0 is less than 1: a write must wait for at least one replica");
    }

    @Test
    void aTallyIsReachedAtRequiredAnswersAndHopelessWhenTooFewAreLeft() {
        // given a write with W=2 sent to three replicas
        QuorumTally tally = new QuorumTally(2);
        tally.expect("a");
        tally.expect("b");
        tally.expect("c");

        // when one fails, the round is still open; the first answer does not decide it, the second does
        assertThat(tally.fail("c", "unreachable")).isFalse();
        assertThat(tally.answer("a")).isFalse();
        assertThat(tally.answer("b")).isTrue();
        assertThat(tally.reached()).isTrue();
        assertThat(tally.answered()).containsExactly("a", "b");
    }

    @Test
    void aStandInKeepsTheRoundOpenUntilItAnswers() {
        QuorumTally tally = new QuorumTally(3);
        tally.expect("a");
        tally.expect("b");
        tally.expect("c");
        tally.answer("a");
        tally.answer("b");

        // when c fails but stand-in d was sent first, the round is not lost
        tally.expect("d");
        assertThat(tally.fail("c", "unreachable")).isFalse();
        assertThat(tally.hopeless()).isFalse();
        assertThat(tally.answer("d")).isTrue();

        // and a round with no stand-in left is hopeless as soon as it cannot be reached
        QuorumTally lost = new QuorumTally(3);
        lost.expect("a");
        lost.expect("b");
        lost.expect("c");
        assertThat(lost.fail("c", "unreachable")).isTrue();
        assertThat(lost.hopeless()).isTrue();
        assertThat(lost.failed()).containsEntry("c", "unreachable");
    }

    @Test
    void aRoundSendsToTheNextStandInForEachFailureAndAFailedStandInPassesItsOwnerOn() {
        // given a write with W=3 to owners a, b, c, with stand-ins d and e
        QuorumRound round = new QuorumRound(List.of("a", "b", "c"), List.of("d", "e"), 3);
        assertThat(round.start()).extracting(QuorumRound.Send::node).containsExactly("a", "b", "c");
        round.answer("a");
        round.answer("b");

        // when c fails, d stands in for c; when d fails too, e stands in for c
        assertThat(round.fail("c", "UNREACHABLE")).contains(new QuorumRound.Send("d", "c"));
        assertThat(round.fail("d", "TIMEOUT")).contains(new QuorumRound.Send("e", "c"));
        assertThat(round.decided()).isFalse();
        round.answer("e");

        // then the round is reached, and names e as the stand-in for c
        assertThat(round.reached()).isTrue();
        assertThat(round.standInsAnswered()).containsExactly(Map.entry("e", "c"));
        assertThat(round.settled()).isTrue();
    }
}
