package io.dtxlab.core.paxos;

import static io.dtxlab.core.paxos.Group.WARM;
import static io.dtxlab.core.paxos.Group.from;
import static io.dtxlab.core.paxos.Group.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.paxos.PaxosMessage.Accept;
import io.dtxlab.core.paxos.PaxosMessage.Accepted;
import io.dtxlab.core.paxos.PaxosMessage.Chosen;
import io.dtxlab.core.paxos.PaxosMessage.Prepare;
import io.dtxlab.core.paxos.PaxosMessage.Promise;
import io.dtxlab.core.paxos.PaxosMessage.Refusal;
import io.dtxlab.core.paxos.PaxosMessage.Rejected;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of Multi-Paxos with leases, one scenario each, in the manner of etcd's raft_paper_test: (Lamport, "Paxos
 * Made Simple", 2001, §2 for the acceptor and proposer, §3 for the log; Chandra, Griesemer and Redstone, "Paxos Made
 * Live", 2007, §5.2 for master leases). Three nodes n1, n2, n3; the test delivers each message by hand.
 */
class PaxosRulesTest {

    private final Group group = new Group();

    private static Accept accept(String from, String to, Ballot ballot, long slot, Value value, long sentAt) {
        return new Accept(from, to, ballot, List.of(new SlotValue(slot, value)), 1, sentAt);
    }

    @Test
    void anAcceptorRefusesAPrepareWithALowerBallotAndNamesTheBallotItPromised() {
        // given n2 promised ballot 5.n3
        group.deliver(new Prepare("n3", "n2", new Ballot(5, "n3"), 1), WARM);
        group.network.clear();
        // when n1 asks it to promise ballot 3.n1
        group.deliver(new Prepare("n1", "n2", new Ballot(3, "n1"), 1), WARM);
        // then n2 refuses, and its durable promise is unchanged
        assertThat(group.waiting(Rejected.class)).singleElement().satisfies(r -> {
            assertThat(r.refusal()).isEqualTo(Refusal.OUTDATED_BALLOT);
            assertThat(r.promised()).isEqualTo(new Ballot(5, "n3"));
        });
        assertThat(group.disks.get("n2").promised()).isEqualTo(new Ballot(5, "n3"));
    }

    @Test
    void anAcceptorRefusesAnAcceptWithALowerBallotThanItPromised() {
        // given n2 promised ballot 5.n3
        group.deliver(new Prepare("n3", "n2", new Ballot(5, "n3"), 1), WARM);
        group.network.clear();
        // when the deposed n1 asks it to accept a value in ballot 3.n1
        group.deliver(accept("n1", "n2", new Ballot(3, "n1"), 1, Value.of("stale"), WARM), WARM);
        // then it refuses and accepts nothing
        assertThat(group.waiting(Rejected.class)).singleElement()
                .satisfies(r -> assertThat(r.refusal()).isEqualTo(Refusal.OUTDATED_BALLOT));
        assertThat(group.disks.get("n2").accepted()).isEmpty();
    }

    @Test
    void anAcceptorPromisesOnlyHigherBallotsAndAcceptsOnlyBallotsAtLeastItsPromiseForEveryPairOfBallots() {
        List<Ballot> ballots = new ArrayList<>();
        for (int round = 0; round <= 3; round++) {
            for (String id : Group.MEMBERS) {
                ballots.add(new Ballot(round, id));
            }
        }
        for (Ballot first : ballots) {
            for (Ballot second : ballots) {
                // given n2 promised `first` (every ask comes from n3, so no lease stands in the way)
                Group g = new Group();
                g.deliver(new Prepare("n3", "n2", first, 1), WARM);
                g.network.clear();
                // when `second` is prepared, and then accepted
                g.deliver(new Prepare("n3", "n2", second, 1), WARM);
                boolean promisedAgain = !g.waiting(Promise.class).isEmpty();
                g.network.clear();
                g.deliver(new Accept("n3", "n2", second, List.of(new SlotValue(1, Value.of("v"))), 1, WARM), WARM);
                boolean acceptedIt = !g.waiting(Accepted.class).isEmpty();
                // then a promise only for a ballot at least as high (the same one again is a duplicate), an
                // acceptance only for a ballot at least as high as the promise, and the promise never goes down
                String pair = first + " then " + second;
                assertThat(promisedAgain).as(pair).isEqualTo(second.compareTo(first) >= 0);
                assertThat(acceptedIt).as(pair).isEqualTo(second.compareTo(first) >= 0);
                Ballot highest = second.compareTo(first) >= 0 ? second : first;
                assertThat(g.disks.get("n2").promised()).as(pair).isEqualTo(highest);
            }
        }
    }

    @Test
    void anAcceptorStoresItsPromiseBeforeTheAnswerCanLeave() {
        // given a storage and a transport that log what happens to them
        List<String> log = new ArrayList<>();
        InMemoryPaxosStorage disk = new InMemoryPaxosStorage();
        PaxosStorage logged = new PaxosStorage() {
            public Ballot promised() {
                return disk.promised();
            }

            public Collection<AcceptedValue> accepted() {
                return disk.accepted();
            }

            public Collection<SlotValue> chosen() {
                return disk.chosen();
            }

            public long compactedThrough() {
                return disk.compactedThrough();
            }

            public void write(StorageWrite write) {
                log.add("write promised " + write.promised());
                disk.write(write);
            }
        };
        PaxosNode n2 = PaxosNode.recover(Group.config("n2"), logged, new java.util.Random(1), 0);
        // when a prepare arrives and the adapter handles the result
        n2.step(new Prepare("n1", "n2", new Ballot(1, "n1"), 1), WARM)
                .persist(logged)
                .send(m -> log.add("send " + m.getClass().getSimpleName()));
        // then the promise was durable before the answer was sent
        assertThat(log).containsExactly("write promised 1.n1", "send Promise");
    }

    @Test
    void aNewLeaderReProposesTheValueAcceptedInTheHighestBallotItLearnsInPromises() {
        // given n1 accepted "older" in ballot 0.n1, and later n3 accepted "newer" in ballot 0.n3 (for slot 1)
        group.deliver(accept("n1", "n1", new Ballot(0, "n1"), 1, Value.of("older"), 0), WARM);
        group.deliver(accept("n3", "n3", new Ballot(0, "n3"), 1, Value.of("newer"), 0), WARM);
        group.network.clear();
        // when n1 times out, and wins with its own promise and n3's (n2's prepare is lost)
        group.timeOutAndPreVote("n1", WARM);
        group.drop(to("n2"));
        group.deliverWaiting(m -> m instanceof Prepare, WARM);
        group.deliverWaiting(m -> m instanceof Promise, WARM);
        // then n1 leads and proposes "newer" for slot 1 again, in its own ballot
        assertThat(group.node("n1").role()).isEqualTo(Role.LEADER);
        assertThat(group.waiting(Accept.class)).filteredOn(to("n3")).singleElement().satisfies(a -> {
            assertThat(a.ballot()).isEqualTo(new Ballot(1, "n1"));
            assertThat(a.entries()).containsExactly(new SlotValue(1, Value.of("newer")));
        });
    }

    @Test
    void aNewLeaderFillsTheSlotsNobodyAcceptedWithNoOps() {
        // given n3 accepted "x" for slot 3 only
        group.deliver(accept("n3", "n3", new Ballot(0, "n3"), 3, Value.of("x"), 0), WARM);
        group.network.clear();
        // when n1 wins an election with n3's promise (n2's prepare is lost)
        group.timeOutAndPreVote("n1", WARM);
        group.drop(to("n2"));
        group.stabilizeAndLearn(WARM);
        // then slots 1 and 2 are chosen as no-ops, slot 3 as "x", and the nodes that heard apply them in order
        for (String id : List.of("n1", "n3")) {
            assertThat(group.applied.get(id)).as(id).containsExactly(new SlotValue(1, Value.NOOP),
                    new SlotValue(2, Value.NOOP), new SlotValue(3, Value.of("x")));
        }
    }

    @Test
    void aNewLeaderIsCaughtUpOnlyOnceEverySlotOfEarlierLeadersIsChosen() {
        // given n3 accepted "x" for slot 2 under an earlier leader
        group.deliver(accept("n3", "n3", new Ballot(0, "n3"), 2, Value.of("x"), 0), WARM);
        group.network.clear();
        // when n1 wins with n3's promise and its re-proposals are accepted by n3, answers still on the way
        group.timeOutAndPreVote("n1", WARM);
        group.drop(to("n2"));
        group.deliverWaiting(m -> true, WARM);
        group.deliverWaiting(m -> true, WARM);
        group.deliverWaiting(m -> m instanceof Accept, WARM);
        // then it leads but is not caught up: the coordinator must not resolve in-doubt transactions yet
        assertThat(group.node("n1").role()).isEqualTo(Role.LEADER);
        assertThat(group.node("n1").caughtUp(WARM)).isFalse();
        // when the answers arrive
        group.stabilize(WARM);
        // then slots 1 and 2 are chosen and applied, and it is caught up
        assertThat(group.applied.get("n1")).containsExactly(new SlotValue(1, Value.NOOP), new SlotValue(2, Value.of("x")));
        assertThat(group.node("n1").status(WARM).caughtUp()).isTrue();
    }

    @Test
    void theLeaderBatchesSeveralProposalsIntoOneAcceptAndEveryNodeAppliesThemInSlotOrder() {
        // given n1 leads
        group.elect("n1", WARM);
        // when it is asked for three values at once
        Proposal p = group.propose("n1", WARM + 10, "BEGIN tx-1", "BEGIN tx-2", "DECISION tx-1 COMMIT");
        // then they get consecutive slots and travel in one accept per follower
        assertThat(p.slots()).containsExactly(1L, 2L, 3L);
        assertThat(group.waiting(Accept.class)).hasSize(2).allSatisfy(a -> assertThat(a.entries()).hasSize(3));
        // and once delivered, all three are chosen and applied everywhere, in order
        group.stabilizeAndLearn(WARM + 10);
        for (String id : Group.MEMBERS) {
            assertThat(group.applied.get(id)).extracting(s -> s.value().payload())
                    .containsExactly("BEGIN tx-1", "BEGIN tx-2", "DECISION tx-1 COMMIT");
        }
    }

    @Test
    void aValueIsChosenOnceAMajorityAcceptedItNotBefore() {
        // given n1 leads and proposes "v"
        group.elect("n1", WARM);
        group.propose("n1", WARM, "v");
        // when only its own acceptance is counted (the followers' answers are still on the way)
        group.deliverWaiting(m -> m instanceof Accept, WARM);
        // then nothing is chosen yet
        assertThat(group.node("n1").chosenAt(1)).isNull();
        // when n2's acceptance arrives
        group.deliverWaiting(m -> m instanceof Accepted && m.from().equals("n2"), WARM);
        // then "v" is chosen; no notice goes out, the followers learn it from the next accept
        assertThat(group.node("n1").chosenAt(1)).isEqualTo(Value.of("v"));
        assertThat(group.waiting(Chosen.class)).isEmpty();
    }

    @Test
    void aFollowerThatMissedAChosenNoticeCatchesUpFromTheLeaderOnTheNextHeartbeat() {
        // given n1 leads and "v" got chosen, but the notice to n3 was lost
        group.elect("n1", WARM);
        group.propose("n1", WARM, "v");
        group.deliverWaiting(m -> m instanceof Accept, WARM);
        group.deliverWaiting(m -> m instanceof Accepted, WARM);
        group.drop(to("n3"));
        group.stabilize(WARM);
        assertThat(group.applied.get("n3")).isEmpty();
        // when the next heartbeat goes round
        group.tick("n1", WARM + 100);
        group.stabilize(WARM + 100);
        // then n3, which reported it lacks slot 1, was sent the chosen value and applied it
        assertThat(group.applied.get("n3")).containsExactly(new SlotValue(1, Value.of("v")));
    }

    @Test
    void oneDecisionInAStableGroupCostsAnAcceptAndAnAcceptedPerFollowerAndTheNextAcceptTeachesIt() {
        // given n1 leads and the group is quiet
        group.elect("n1", WARM);
        // when one value is proposed and everything is delivered
        group.propose("n1", WARM + 10, "DECISION tx-7 COMMIT");
        List<String> kinds = new ArrayList<>();
        for (int round = 0; round < 10 && !group.network.isEmpty(); round++) {
            group.network.forEach(m -> kinds.add(m.getClass().getSimpleName()));
            group.deliverWaiting(m -> true, WARM + 10);
        }
        // then it cost 2(n-1) = 4 messages, and only the leader knows it is chosen
        assertThat(kinds).containsExactlyInAnyOrder("Accept", "Accept", "Accepted", "Accepted");
        assertThat(group.applied.get("n2")).isEmpty();
        // and when no other accept goes out for a learn delay (20 ms), a heartbeat tells the followers
        assertThat(group.node("n1").nextDeadline()).isEqualTo(WARM + 30);
        group.tick("n1", WARM + 30);
        assertThat(group.waiting(Accept.class)).hasSize(2)
                .allSatisfy(a -> assertThat(a.isHeartbeat()).isTrue())
                .allSatisfy(a -> assertThat(a.firstUnchosen()).isEqualTo(2));
        group.stabilize(WARM + 30);
        for (String id : Group.MEMBERS) {
            assertThat(group.applied.get(id)).as(id)
                    .containsExactly(new SlotValue(1, Value.of("DECISION tx-7 COMMIT")));
        }
    }

    @Test
    void followersLearnADecisionFromTheLeadersNextAcceptNotFromANotice() {
        // given n1 leads, and "a" was accepted by everyone and is chosen
        group.elect("n1", WARM);
        group.propose("n1", WARM, "a");
        group.stabilize(WARM);
        assertThat(group.node("n1").chosenAt(1)).isEqualTo(Value.of("a"));
        assertThat(group.sent).noneMatch(m -> m instanceof Chosen);
        assertThat(group.applied.get("n2")).isEmpty();
        // when n1 proposes "b" within the learn delay
        group.propose("n1", WARM + 5, "b");
        // then its accept names slot 2 as its first unchosen one, and the followers learn slot 1 from it
        assertThat(group.waiting(Accept.class)).hasSize(2)
                .allSatisfy(a -> assertThat(a.firstUnchosen()).isEqualTo(2));
        group.deliverWaiting(m -> m instanceof Accept, WARM + 5);
        for (String id : List.of("n2", "n3")) {
            assertThat(group.applied.get(id)).as(id).containsExactly(new SlotValue(1, Value.of("a")));
            assertThat(group.disks.get(id).chosen()).as(id).containsExactly(new SlotValue(1, Value.of("a")));
        }
        assertThat(group.waiting(Accepted.class)).hasSize(2).allSatisfy(a -> assertThat(a.missingFrom()).isZero());
        // and that accept stood in for the learning heartbeat: the next deadline is the regular heartbeat
        assertThat(group.node("n1").nextDeadline()).isEqualTo(WARM + 100);
    }

    @Test
    void aFollowerDoesNotLearnFromAnAcceptAValueItAcceptedInAnOlderBallot() {
        // given n2 accepted "a" (slot 1) and "c" (slot 3) in ballot 5.n1, and "x" (slot 2) in the older 4.n3
        Ballot older = new Ballot(4, "n3");
        Ballot current = new Ballot(5, "n1");
        group.deliver(accept("n3", "n2", older, 2, Value.of("x"), WARM), WARM);
        group.deliver(accept("n1", "n2", current, 1, Value.of("a"), WARM), WARM);
        group.deliver(accept("n1", "n2", current, 3, Value.of("c"), WARM), WARM);
        group.network.clear();
        // when a heartbeat of 5.n1 says slots 1 to 3 are chosen (its first unchosen slot is 4)
        group.deliver(new Accept("n1", "n2", current, List.of(), 4, WARM + 10), WARM + 10);
        // then n2 learns slot 1 only: "x" may not be the value chosen at slot 2, and slot 3 waits behind it
        assertThat(group.node("n2").chosenAt(1)).isEqualTo(Value.of("a"));
        assertThat(group.node("n2").chosenAt(2)).isNull();
        assertThat(group.node("n2").chosenAt(3)).isNull();
        assertThat(group.applied.get("n2")).containsExactly(new SlotValue(1, Value.of("a")));
        // and it reports slot 2 missing, so the leader sends it the chosen values (the catch-up)
        assertThat(group.waiting(Accepted.class)).singleElement()
                .satisfies(a -> assertThat(a.missingFrom()).isEqualTo(2));
        group.deliver(new Chosen("n1", "n2", List.of(new SlotValue(2, Value.of("y")),
                new SlotValue(3, Value.of("c")))), WARM + 20);
        assertThat(group.applied.get("n2")).extracting(v -> v.value().payload()).containsExactly("a", "y", "c");
    }

    @Test
    void aLeaderThatLearnsAnotherValueWhereItsOwnProposalIsInFlightStepsDownBeforeSendingMore() {
        // given n1 leads and its proposal "v" for slot 1 is in flight
        group.elect("n1", WARM);
        group.propose("n1", WARM, "v");
        group.network.clear();
        // when a notice says "w" is chosen at slot 1 (chosen in a higher ballot, by a leader it has not heard of)
        Ready ready = group.node("n1").step(new Chosen("n3", "n1", List.of(new SlotValue(1, Value.of("w")))),
                WARM + 5);
        // then it steps down at once and sends nothing: no accept of its ballot may report slot 1 chosen, where
        // followers that accepted "v" would learn it
        assertThat(group.node("n1").role()).isEqualTo(Role.FOLLOWER);
        assertThat(ready.messages()).isEmpty();
        assertThat(group.node("n1").chosenAt(1)).isEqualTo(Value.of("w"));
    }

    @Test
    void aLeaderThatLearnsItsOwnInFlightValueFromANoticeGoesOnLeading() {
        // given n1 leads and its proposal "v" for slot 1 is in flight
        group.elect("n1", WARM);
        group.propose("n1", WARM, "v");
        group.network.clear();
        // when a notice says "v" is chosen at slot 1
        group.deliver(new Chosen("n3", "n1", List.of(new SlotValue(1, Value.of("v")))), WARM + 5);
        // then it still leads, and its next accept reports slot 1 chosen
        assertThat(group.node("n1").role()).isEqualTo(Role.LEADER);
        assertThat(group.node("n1").chosenAt(1)).isEqualTo(Value.of("v"));
        group.propose("n1", WARM + 10, "next");
        assertThat(group.waiting(Accept.class)).hasSize(2)
                .allSatisfy(a -> assertThat(a.firstUnchosen()).isEqualTo(2));
    }

    @Test
    void underASteadyStreamOfProposalsNoChosenNoticeGoesOutAndEveryFollowerLearnsEverySlot() {
        // given n1 leads; n3 is slower: what goes to it arrives only every third proposal
        group.elect("n1", WARM);
        group.sent.clear();
        int proposals = 300;
        long now = WARM;
        for (int i = 1; i <= proposals; i++) {
            now += 5;
            if (group.node("n1").nextDeadline() <= now) {
                group.tick("n1", now);
            }
            group.propose("n1", now, "v" + i);
            boolean n3Hears = i % 3 == 0;
            for (int round = 0; round < 5; round++) {
                group.deliverWaiting(m -> n3Hears || !m.to().equals("n3"), now);
            }
        }
        group.stabilizeAndLearn(now);
        // then not one Chosen notice went out, and the only heartbeats are the learning ones after the last decision
        assertThat(group.sent).noneMatch(m -> m instanceof Chosen);
        assertThat(group.sent).filteredOn(m -> m instanceof Accept a && a.isHeartbeat()).hasSize(2);
        assertThat(group.sent).filteredOn(m -> m instanceof Accept a && !a.isHeartbeat()).hasSize(2 * proposals);
        // and every node applied every slot
        for (String id : Group.MEMBERS) {
            assertThat(group.applied.get(id)).as(id).hasSize(proposals)
                    .extracting(v -> v.value().payload()).endsWith("v" + proposals);
        }
    }

    @Test
    void aFollowerRefusesProposalsAndNamesTheLeader() {
        // given n1 leads
        group.elect("n1", WARM);
        // when n2 is asked to propose
        Proposal p = group.propose("n2", WARM + 10, "v");
        // then it refuses and points at n1
        assertThat(p.accepted()).isFalse();
        assertThat(p.leaderHint()).isEqualTo("n1");
        assertThat(group.network).isEmpty();
    }

    @Test
    void followersInsideALeaseRefuseToPromiseANewLeader() {
        // given n1 leads and n2 accepted its heartbeat at WARM
        group.elect("n1", WARM);
        Ballot challenger = new Ballot(7, "n3");
        // when n3 asks n2 for a promise inside the lease n2 granted
        group.deliver(new Prepare("n3", "n2", challenger, 1), WARM + 799);
        // then n2 refuses and names the lease holder
        assertThat(group.waiting(Rejected.class)).singleElement().satisfies(r -> {
            assertThat(r.refusal()).isEqualTo(Refusal.INSIDE_LEASE);
            assertThat(r.leaseHolder()).isEqualTo("n1");
        });
        // when it asks again once the lease ran out
        group.network.clear();
        group.deliver(new Prepare("n3", "n2", challenger, 1), WARM + 800);
        // then n2 promises
        assertThat(group.waiting(Promise.class)).singleElement()
                .satisfies(p -> assertThat(p.ballot()).isEqualTo(challenger));
    }

    @Test
    void aLeaderCountsOnItsLeaseOnlyUntilTheHeartbeatTimePlusTheLeaseMinusTheClockDrift() {
        // given n1 won at WARM, and its first heartbeat (sent at WARM) was answered by a majority
        group.elect("n1", WARM);
        PaxosConfig config = Group.config("n1");
        long expiry = WARM + config.leaseDuration() - config.maxClockDrift();
        assertThat(group.node("n1").status(WARM).leaseExpiry()).isEqualTo(expiry);
        // then it leads until just before that, and not at that instant
        assertThat(group.node("n1").isLeader(expiry - 1)).isTrue();
        assertThat(group.node("n1").isLeader(expiry)).isFalse();
        // when no heartbeat is answered until then (the answers are late)
        group.tick("n1", WARM + 100);
        group.drop(m -> true);
        group.tick("n1", expiry);
        // then it refuses proposals, but still leads: a late answer renews its lease
        assertThat(group.propose("n1", expiry, "v").accepted()).isFalse();
        assertThat(group.node("n1").role()).isEqualTo(Role.LEADER);
        group.tick("n1", expiry + 10);
        group.stabilize(expiry + 10);
        assertThat(group.node("n1").isLeader(expiry + 10)).isTrue();
    }

    @Test
    void aLeaderWhoseHeartbeatsAMajorityLeavesUnansweredForAnElectionTimeoutStepsDown() {
        // given n1 leads, and its followers answered everything up to WARM
        group.elect("n1", WARM);
        long timeout = Group.config("n1").electionTimeout();
        // when nothing comes back for an election timeout after its next heartbeat (check-quorum)
        long firstUnanswered = WARM + 100;
        for (long t = firstUnanswered; t < firstUnanswered + timeout; t += 100) {
            group.tick("n1", t);
            group.drop(m -> true);
        }
        assertThat(group.node("n1").role()).isEqualTo(Role.LEADER);
        group.tick("n1", firstUnanswered + timeout);
        // then it steps down
        assertThat(group.node("n1").role()).isEqualTo(Role.FOLLOWER);
        assertThat(group.node("n1").isLeader(firstUnanswered + timeout)).isFalse();
    }

    @Test
    void aLeaderThatStalledItselfKeepsLeadingWhenItsNextHeartbeatIsAnswered() {
        // given n1 leads, and its followers answered everything up to WARM
        group.elect("n1", WARM);
        // when its own process stalls for more than an election timeout (no tick, nothing sent), then ticks again
        long back = WARM + Group.config("n1").electionTimeout() + 500;
        group.tick("n1", back);
        // then it has not been ignored: it heartbeats, is answered, and still leads with a lease
        assertThat(group.node("n1").role()).isEqualTo(Role.LEADER);
        group.stabilize(back);
        assertThat(group.node("n1").isLeader(back)).isTrue();
    }

    @Test
    void aNewLeaderWhoseFirstAcceptsAreAnsweredLateKeepsLeading() {
        // given n1 won at WARM, and its followers are slow to answer its first accepts (they are starting)
        electWithoutAnswers("n1", WARM);
        long late = WARM + Group.config("n1").electionTimeout() + 300;
        for (long t = WARM + 100; t <= late; t += 100) {
            group.tick("n1", t);
            group.drop(from("n2").or(from("n3")));
        }
        // when the answers arrive after more than an election timeout
        assertThat(group.node("n1").role()).isEqualTo(Role.LEADER);
        group.stabilize(late);
        // then it still leads, with a lease
        assertThat(group.node("n1").isLeader(late)).isTrue();
    }

    @Test
    void aNewLeaderThatNoMajorityEverAnswersStepsDownTwoElectionTimeoutsAfterItsElection() {
        // given n1 won at WARM
        electWithoutAnswers("n1", WARM);
        long timeout = Group.config("n1").electionTimeout();
        // when nothing comes back
        for (long t = WARM + 100; t < WARM + 2 * timeout; t += 100) {
            group.tick("n1", t);
            group.drop(m -> true);
        }
        assertThat(group.node("n1").role()).isEqualTo(Role.LEADER);
        group.tick("n1", WARM + 2 * timeout);
        // then it steps down (check-quorum, with a new leader's grace)
        assertThat(group.node("n1").role()).isEqualTo(Role.FOLLOWER);
    }

    /** {@code id} wins an election at {@code now}; its first accepts wait in the network, unanswered. */
    private void electWithoutAnswers(String id, long now) {
        group.timeOutAndPreVote(id, now);
        group.deliverWaiting(m -> m instanceof Prepare, now);
        group.deliverWaiting(m -> m instanceof Promise, now);
        assertThat(group.node(id).role()).isEqualTo(Role.LEADER);
    }

    @Test
    void aNodeWhoseTimerFiredAsksForPreVotesAndRaisesItsBallotOnlyOnAMajority() {
        // given n1 leads and n2, n3 hear it; n3 stops hearing it (its link to n1 broke)
        group.elect("n1", WARM);
        long later = WARM + 2 * Group.config("n3").electionTimeout();
        for (long t = WARM + 100; t < later; t += 100) {
            group.tick("n1", t);
            group.drop(to("n3"));
            group.stabilize(t);
        }
        // when n3's election timer fires
        group.tick("n3", later);
        // then it sends pre-votes, no prepare, and has promised nothing new
        assertThat(group.network).allSatisfy(m -> assertThat(m).isInstanceOf(PaxosMessage.PreVote.class));
        assertThat(group.network).hasSize(2);
        Ballot before = group.disks.get("n3").promised();
        // when n2 (which heard the leader 100 ms ago) and n1 (the leader) answer
        group.stabilize(later);
        // then both refused: no ballot was raised anywhere, and n1 still leads
        for (String id : Group.MEMBERS) {
            assertThat(group.disks.get(id).promised()).as(id).isEqualTo(before);
        }
        assertThat(group.node("n1").isLeader(later)).isTrue();
        assertThat(group.node("n3").role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void aFollowerGrantsAPreVoteOnceItHeardNoLeaderForAnElectionTimeoutAndThenTheElectionRuns() {
        // given n1 led and died; n2 last heard it at WARM
        group.elect("n1", WARM);
        long timeout = Group.config("n2").electionTimeout();
        // when n3 asks n2 just before an election timeout has passed
        group.deliver(new PaxosMessage.PreVote("n3", "n2", new Ballot(9, "n3"), 1), WARM + timeout - 1);
        // then n2 says no
        assertThat(group.waiting(PaxosMessage.PreVoteReply.class)).singleElement()
                .satisfies(r -> assertThat(r.granted()).isFalse());
        group.network.clear();
        // and once it has passed, yes, once per election timeout: a rival asking next is refused
        group.deliver(new PaxosMessage.PreVote("n3", "n2", new Ballot(9, "n3"), 1), WARM + timeout);
        group.deliver(new PaxosMessage.PreVote("n1", "n2", new Ballot(10, "n1"), 1), WARM + timeout);
        assertThat(group.waiting(PaxosMessage.PreVoteReply.class)).extracting(PaxosMessage.PreVoteReply::granted)
                .containsExactly(true, false);
        // and a pre-vote changes nothing durable
        assertThat(group.disks.get("n2").promised()).isEqualTo(group.node("n1").status(WARM).ballot());
    }

    @Test
    void aPreCandidateRefusedOnlyForTimeAsksAgainWhenTheVoterWouldGrant() {
        // given n1 leads; n2 last heard it at WARM, while n3 kept hearing it until n2's election timer fired
        group.elect("n1", WARM);
        long timeout = Group.config("n2").electionTimeout();
        long fires = group.node("n2").nextDeadline();
        long lastHeardByN3 = WARM;
        for (long t = WARM + 100; t < fires; t += 100) {
            group.tick("n1", t);
            group.drop(to("n2"));
            group.stabilize(t);
            lastHeardByN3 = t;
        }
        // when n1 dies and n2 asks for pre-votes
        group.tick("n2", fires);
        group.drop(to("n1"));
        group.deliverWaiting(m -> m instanceof PaxosMessage.PreVote, fires);
        // then n3 refuses, saying when it would grant, and n2 asks again then, not a whole election timeout later
        long grantable = lastHeardByN3 + timeout;
        assertThat(group.waiting(PaxosMessage.PreVoteReply.class)).singleElement().satisfies(r -> {
            assertThat(r.granted()).isFalse();
            assertThat(r.grantableIn()).isEqualTo(grantable - fires);
        });
        group.deliverWaiting(m -> m instanceof PaxosMessage.PreVoteReply, fires);
        assertThat(group.node("n2").nextDeadline()).isEqualTo(grantable);
        group.tick("n2", grantable);
        group.drop(to("n1"));
        group.stabilize(grantable);
        assertThat(group.node("n2").isLeader(grantable)).isTrue();
    }

    @Test
    void theNextDeadlineIsTheHeartbeatForALeaderAndTheElectionTimeoutForAFollower() {
        group.elect("n1", WARM);
        assertThat(group.node("n1").nextDeadline()).isEqualTo(WARM + 100);
        assertThat(group.node("n2").nextDeadline()).isBetween(WARM + 1000, WARM + 2000);
        // a tick before the deadline changes nothing
        assertThat(group.node("n2").tick(WARM + 999).isEmpty()).isTrue();
    }

    @Test
    void aLeaderWhoseAcceptsWereAllAnsweredWithinTheIntervalSendsNoHeartbeat() {
        // given n1 leads; a proposal at WARM + 50 was accepted by everyone, and learned at WARM + 70
        group.elect("n1", WARM);
        group.propose("n1", WARM + 50, "v");
        group.stabilizeAndLearn(WARM + 50);
        // when the heartbeat falls due at WARM + 100
        group.tick("n1", WARM + 100);
        // then nothing is sent: the accepts renewed the lease and every follower heard them
        assertThat(group.network).isEmpty();
        assertThat(group.node("n1").nextDeadline()).isEqualTo(WARM + 170);
        // and when the group is idle for an interval, the heartbeat goes out
        group.tick("n1", WARM + 170);
        assertThat(group.waiting(Accept.class)).hasSize(2).allSatisfy(a -> assertThat(a.isHeartbeat()).isTrue());
    }

    @Test
    void aHeartbeatAnsweredByAMajorityRenewsTheLease() {
        // given n1 leads
        group.elect("n1", WARM);
        // when its heartbeat at WARM + 100 is answered by n2 only
        group.tick("n1", WARM + 100);
        group.drop(to("n3"));
        group.stabilize(WARM + 100);
        // then the lease runs from that heartbeat
        assertThat(group.node("n1").status(WARM + 100).leaseExpiry()).isEqualTo(WARM + 100 + 750);
    }

    @Test
    void aLeaderRefusesToPromiseAnotherNodeWhileItHoldsItsLease() {
        // given n1 leads with a valid lease
        group.elect("n1", WARM);
        // when n2 asks it for a promise
        group.deliver(new Prepare("n2", "n1", new Ballot(9, "n2"), 1), WARM + 10);
        // then it refuses, naming itself
        assertThat(group.waiting(Rejected.class)).singleElement()
                .satisfies(r -> assertThat(r.leaseHolder()).isEqualTo("n1"));
        assertThat(group.node("n1").isLeader(WARM + 10)).isTrue();
    }

    @Test
    void aRestartedAcceptorPromisesNobodyForALeaseDurationBecauseItMayHaveForgottenAGrant() {
        // given n2 granted n1 a lease and then crashed and restarted at WARM + 10
        group.elect("n1", WARM);
        group.restart("n2", WARM + 10);
        // when n3 asks it for a promise within a lease duration of the restart
        group.deliver(new Prepare("n3", "n2", new Ballot(7, "n3"), 1), WARM + 500);
        // then it refuses
        assertThat(group.waiting(Rejected.class)).singleElement()
                .satisfies(r -> assertThat(r.refusal()).isEqualTo(Refusal.RESTARTING));
        // and after the lease duration it promises
        group.network.clear();
        group.deliver(new Prepare("n3", "n2", new Ballot(7, "n3"), 1), WARM + 10 + 800);
        assertThat(group.waiting(Promise.class)).hasSize(1);
    }

    @Test
    void aRestartedNodeReplaysItsChosenLogFromTheFirstSlot() {
        // given "a" and "b" were chosen and applied everywhere
        group.elect("n1", WARM);
        group.propose("n1", WARM, "a", "b");
        group.stabilizeAndLearn(WARM);
        // when n3 crashes and restarts
        group.restart("n3", WARM + 50);
        group.tick("n3", WARM + 60);
        // then the first result after the restart hands the whole log out again, for the state machine to rebuild
        assertThat(group.applied.get("n3")).extracting(s -> s.value().payload()).containsExactly("a", "b");
    }

    @Test
    void aDeposedLeaderStepsDownWhenAnAcceptorReportsAHigherBallot() {
        // given n1 led, and meanwhile n2 promised ballot 9.n3
        group.elect("n1", WARM);
        group.tick("n1", WARM + 100);
        group.deliver(new Prepare("n3", "n2", new Ballot(9, "n3"), 1), WARM + 900); // n2's grant ran out
        group.drop(from("n2").and(to("n3")));
        // when n1's heartbeat reaches n2 and the refusal comes back
        group.deliverWaiting(m -> m instanceof Accept && m.to().equals("n2"), WARM + 900);
        group.deliverWaiting(m -> m instanceof Rejected, WARM + 900);
        // then n1 is no longer leader
        assertThat(group.node("n1").role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void anIsolatedNodeDoesNotRaiseAnyBallotSoItCannotDisruptTheLeaderWhenItReturns() {
        // given n3 is cut off and times out again and again
        for (long t = WARM; t < WARM + 10_000; t += 500) {
            group.tick("n3", t);
            group.drop(m -> true);
        }
        // then its acceptor promised nothing, and it never even prepared: its pre-votes went unanswered
        assertThat(group.disks.get("n3").promised()).isEqualTo(Ballot.ZERO);
        assertThat(group.node("n3").status(WARM + 10_000).role()).isEqualTo(Role.FOLLOWER);
    }

    @Test
    void aCandidatePromisesItsOwnBallotLastSoALostElectionLeavesNoTrace() {
        // given n3 won its pre-vote, then lost touch: its prepares go nowhere
        group.timeOutAndPreVote("n3", WARM);
        assertThat(group.waiting(Prepare.class)).hasSize(2);
        group.drop(m -> true);
        // then its acceptor promised nothing
        assertThat(group.disks.get("n3").promised()).isEqualTo(Ballot.ZERO);
        assertThat(group.node("n3").role()).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void theEpochOrdersLeadershipsLikeTheirBallots() {
        PaxosConfig config = PaxosConfig.defaults("coordinator-2", List.of("coordinator-3", "coordinator-1",
                "coordinator-2"));
        assertThat(PaxosConfig.coordinators()).containsExactlyInAnyOrderElementsOf(config.members());
        List<Ballot> ballots = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            for (String id : config.members()) {
                ballots.add(new Ballot(round, id));
            }
        }
        ballots.sort(null);
        assertThat(ballots).extracting(config::epoch).isSorted().doesNotHaveDuplicates();
        assertThat(config.epoch(Ballot.ZERO)).isZero();
    }
}
