package io.dtxlab.core.paxos;

import static io.dtxlab.core.paxos.Group.WARM;
import static io.dtxlab.core.paxos.Group.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.core.paxos.PaxosMessage.Accepted;
import io.dtxlab.core.paxos.PaxosMessage.Prepare;
import io.dtxlab.core.paxos.PaxosMessage.PreVote;
import io.dtxlab.core.paxos.PaxosMessage.PreVoteReply;
import io.dtxlab.core.paxos.PaxosMessage.Promise;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Log compaction and snapshots, one rule per scenario: a restart replays only what the application does not hold, a
 * compacted slot is gone from memory and disk, a promise that cannot report a slot does not elect anyone, and a
 * follower behind the compaction point is caught up by a snapshot of the application's state.
 */
class PaxosCompactionTest {

    private final Group group = new Group();

    /** n1 leads and five values are chosen and applied everywhere, in slots 1..5. */
    private void fiveValuesChosenEverywhere() {
        group.elect("n1", WARM);
        group.propose("n1", WARM, "a", "b", "c", "d", "e");
        group.stabilizeAndLearn(WARM);
        group.nodes.keySet().forEach(id -> assertThat(group.applied.get(id)).as(id).hasSize(5));
    }

    /**
     * Delivers everything except what goes to or comes from n3, until the network is quiet, at WARM and once more
     * after the leader n1's learning accept a learn delay later.
     */
    private void isolateN3WhileDelivering() {
        for (long at : List.of(WARM, WARM + Group.config("n1").learnDelay())) {
            if (at > WARM) {
                group.tick("n1", at);
            }
            for (int i = 0; i < 10; i++) {
                group.network.removeIf(m -> m.to().equals("n3") || m.from().equals("n3"));
                group.deliverWaiting(m -> true, at);
            }
        }
    }

    @Test
    void aRestartHandsOutOnlyTheSlotsAfterTheApplicationsAppliedPoint() {
        // given slots 1..5 chosen, and n2's application durably applied through slot 3
        fiveValuesChosenEverywhere();
        // when n2 restarts
        group.restart("n2", WARM + 10, 3);
        group.tick("n2", WARM + 10);
        // then its first step hands out slots 4 and 5 only
        assertThat(group.applied.get("n2")).extracting(SlotValue::slot).containsExactly(4L, 5L);
    }

    @Test
    void compactionDropsTheSlotsFromMemoryAndDiskAndARestartNeedsAnApplicationThatHoldsThem() {
        fiveValuesChosenEverywhere();
        // when n2's application holds slots up to 5 and it compacts through 3
        group.handle("n2", group.node("n2").compact(3, WARM + 10));
        // then slots 1..3 are gone, in memory and on disk, and the compaction point is stored
        assertThat(group.node("n2").chosenAt(3)).isNull();
        assertThat(group.node("n2").chosenAt(4)).isEqualTo(Value.of("d"));
        assertThat(group.disks.get("n2").compactedThrough()).isEqualTo(3);
        assertThat(group.disks.get("n2").chosen()).extracting(SlotValue::slot).containsExactly(4L, 5L);
        assertThat(group.disks.get("n2").accepted()).extracting(AcceptedValue::slot).containsExactly(4L, 5L);
        assertThat(group.node("n2").status(WARM + 10).compactedThrough()).isEqualTo(3);
        assertThat(group.node("n2").status(WARM + 10).lastChosen()).isEqualTo(5);
        // and a restart with an application behind the compaction point is refused: those slots are lost
        assertThatThrownBy(() -> group.restart("n2", WARM + 20, 2)).isInstanceOf(IllegalArgumentException.class);
        group.restart("n2", WARM + 20, 5);
        assertThat(group.node("n2").firstUnchosen()).isEqualTo(6);
    }

    @Test
    void aNodeNeverCompactsSlotsItHasNotHandedOutToApply() {
        // given n3 missed everything
        group.elect("n1", WARM);
        group.propose("n1", WARM, "a");
        isolateN3WhileDelivering();
        assertThat(group.node("n1").chosenAt(1)).isEqualTo(Value.of("a"));
        // when its adapter asks to compact further than it applied
        group.handle("n3", group.node("n3").compact(10, WARM));
        // then nothing is compacted
        assertThat(group.node("n3").compactedThrough()).isZero();
        assertThat(group.disks.get("n3").compactedThrough()).isZero();
    }

    @Test
    void aPromiseFromAnAcceptorThatCompactedASlotTheCandidateAsksAboutDoesNotCount() {
        // given n1 and n2 chose and compacted slots 1..5 while n3 heard nothing
        group.elect("n1", WARM);
        group.network.removeIf(to("n3"));
        group.propose("n1", WARM, "a", "b", "c", "d", "e");
        isolateN3WhileDelivering();
        group.network.clear();
        group.handle("n1", group.node("n1").compact(5, WARM));
        group.handle("n2", group.node("n2").compact(5, WARM));
        long later = WARM + 5_000;
        // when n3 (log from slot 1) asks for pre-votes, they are refused
        group.tick("n3", later);
        group.deliverWaiting(m -> m instanceof PreVote, later);
        assertThat(group.waiting(PreVoteReply.class)).isNotEmpty().noneMatch(PreVoteReply::granted);
        group.network.clear();
        // and even if it prepares anyway (a stale pre-vote), the promises it gets report the compaction point
        Ballot high = new Ballot(50, "n3");
        group.deliver(new Prepare("n3", "n1", high, 1), later);
        group.deliver(new Prepare("n3", "n2", high, 1), later);
        assertThat(group.waiting(Promise.class)).hasSize(2).allMatch(p -> p.compactedThrough() == 5);
        group.deliverWaiting(m -> m instanceof Promise, later);
        // then n3 does not lead: it would have proposed no-ops over chosen values
        assertThat(group.node("n3").role()).isNotEqualTo(Role.LEADER);
    }

    @Test
    void aFollowerBehindTheCompactionPointIsSentASnapshotAndGoesOnAfterItsLastSlot() {
        // given n3 is cut off while five slots are chosen, and the leader compacted them
        group.elect("n1", WARM);
        group.network.removeIf(to("n3"));
        group.propose("n1", WARM, "a", "b", "c", "d", "e");
        isolateN3WhileDelivering();
        group.handle("n1", group.node("n1").compact(5, WARM));
        assertThat(group.applied.get("n3")).isEmpty();
        // when the next heartbeat reaches n3 and it reports that it lacks slot 1
        group.tick("n1", WARM + 100);
        group.deliverWaiting(to("n3"), WARM + 100);
        assertThat(group.waiting(Accepted.class)).filteredOn(a -> a.from().equals("n3"))
                .singleElement().satisfies(a -> assertThat(a.missingFrom()).isEqualTo(1));
        group.deliverWaiting(m -> m instanceof Accepted, WARM + 100);
        // then n1 asks its adapter to send n3 a snapshot (not the chosen values, which are gone)
        assertThat(group.snapshotRequests).containsExactly("n1>n3");
        assertThat(group.waiting(PaxosMessage.Chosen.class)).noneMatch(c -> c.to().equals("n3"));
        // and once n3's application installed it (through slot 5), n3 skips there and applies what follows
        group.handle("n3", group.node("n3").snapshotInstalled(5, WARM + 110));
        assertThat(group.node("n3").firstUnchosen()).isEqualTo(6);
        assertThat(group.disks.get("n3").compactedThrough()).isEqualTo(5);
        group.stabilize(WARM + 110);
        group.propose("n1", WARM + 120, "f");
        group.stabilizeAndLearn(WARM + 120);
        assertThat(group.applied.get("n3")).containsExactly(new SlotValue(6, Value.of("f")));
        // and a second request for the same follower waits an election timeout
        group.snapshotRequests.clear();
        group.deliver(new Accepted("n3", "n1", group.node("n1").status(WARM).ballot(), List.of(), WARM + 120, 1),
                WARM + 130);
        assertThat(group.snapshotRequests).isEmpty();
    }

    @Test
    void aSnapshotThatIsNotAheadOfWhatWasHandedOutChangesNothing() {
        fiveValuesChosenEverywhere();
        group.handle("n2", group.node("n2").snapshotInstalled(3, WARM + 10));
        assertThat(group.node("n2").compactedThrough()).isZero();
        assertThat(group.node("n2").chosenAt(3)).isEqualTo(Value.of("c"));
    }

    @Test
    void aCompactedLeaderStillCatchesUpAFollowerWhoseGapItHoldsWithChosenValues() {
        // given n3 missed slots 2..6, and n1 compacted only slot 1
        group.elect("n1", WARM);
        group.propose("n1", WARM, "first");
        group.stabilize(WARM);
        group.network.removeIf(to("n3"));
        group.propose("n1", WARM, IntStream.rangeClosed(1, 5).mapToObj(i -> "v" + i).toArray(String[]::new));
        isolateN3WhileDelivering();
        group.handle("n1", group.node("n1").compact(1, WARM));
        // when the next heartbeat goes round
        group.tick("n1", WARM + 100);
        group.stabilize(WARM + 100);
        // then n3 gets the values, no snapshot
        assertThat(group.snapshotRequests).isEmpty();
        assertThat(group.applied.get("n3")).extracting(SlotValue::slot).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void anAcceptorAnswersForASlotItCompactedSoALeaderThatMissedTheDecisionCanFinishIt() {
        // given slots 1..5 chosen everywhere, and n2 compacted them
        fiveValuesChosenEverywhere();
        group.handle("n2", group.node("n2").compact(5, WARM + 20));
        group.network.clear();
        // when a leader that missed the decision re-proposes slot 3
        Ballot higher = new Ballot(9, "n3");
        group.deliver(new PaxosMessage.Accept("n3", "n2", higher, List.of(new SlotValue(3, Value.of("c"))), 1,
                WARM + 30), WARM + 30);
        // then n2 answers for it, without storing it again: its promises never count for that slot any more
        assertThat(group.waiting(Accepted.class)).singleElement()
                .satisfies(a -> assertThat(a.slots()).containsExactly(3L));
        assertThat(group.disks.get("n2").accepted()).noneMatch(a -> a.slot() <= 5);
    }

    @Test
    void aLeaderThatInstallsASnapshotOverItsOwnProposalsStepsDown() {
        // given n1 leads and its proposal for slot 1 is in flight
        group.elect("n1", WARM);
        group.propose("n1", WARM, "v");
        group.network.clear();
        // when its application installs another node's snapshot through slot 3
        Ready ready = group.node("n1").snapshotInstalled(3, WARM + 5);
        // then it steps down: the snapshot may hold another value there, chosen in a higher ballot
        assertThat(group.node("n1").role()).isEqualTo(Role.FOLLOWER);
        assertThat(ready.messages()).isEmpty();
        assertThat(group.node("n1").firstUnchosen()).isEqualTo(4);
    }
}
