package io.dtxlab.core.paxos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * A hand-driven group for scenario tests: every node shares one clock value given by the test, messages wait in
 * {@link #network} until the test delivers or drops them (etcd's {@code deliver-msgs}/{@code stabilize}).
 */
final class Group {

    static final List<String> MEMBERS = List.of("n1", "n2", "n3");
    /** Later than any first election deadline (2 x election timeout) and the start-up quiet period. */
    static final long WARM = 2_000;

    final Map<String, InMemoryPaxosStorage> disks = new LinkedHashMap<>();
    final Map<String, PaxosNode> nodes = new LinkedHashMap<>();
    final Map<String, List<SlotValue>> applied = new LinkedHashMap<>();
    final List<PaxosMessage> network = new ArrayList<>();
    /** Every message any node sent, delivered or not, in order. */
    final List<PaxosMessage> sent = new ArrayList<>();
    /** "leader>peer" for every snapshot a node asked to send ({@link Ready#snapshotsTo()}). */
    final List<String> snapshotRequests = new ArrayList<>();

    Group() {
        for (String id : MEMBERS) {
            disks.put(id, new InMemoryPaxosStorage());
            applied.put(id, new ArrayList<>());
            restart(id, 0);
        }
    }

    /** Round numbers the rules read easily with: election timeout 1 s, heartbeat 100 ms, lease 800 ms, drift 50 ms. */
    static PaxosConfig config(String id) {
        return PaxosConfig.defaults(id, MEMBERS).withTiming(1000, 100, 800, 50);
    }

    PaxosNode node(String id) {
        return nodes.get(id);
    }

    /** Drops the node's memory and recovers it from its disk, as after a crash. */
    void restart(String id, long now) {
        restart(id, now, 0);
    }

    /** As {@link #restart(String, long)}, for an application whose durable state holds the slots up to one. */
    void restart(String id, long now, long appliedThrough) {
        applied.get(id).clear();
        nodes.put(id, PaxosNode.recover(config(id), disks.get(id), new Random(id.hashCode()), now, appliedThrough));
    }

    void handle(String id, Ready ready) {
        Ready.Outbox outbox = ready.persist(disks.get(id));
        outbox.snapshotsTo().forEach(peer -> snapshotRequests.add(id + ">" + peer));
        applied.get(id).addAll(outbox.send(m -> {
            network.add(m);
            sent.add(m);
        }));
    }

    void tick(String id, long now) {
        handle(id, node(id).tick(now));
    }

    Proposal propose(String id, long now, String... payloads) {
        Proposal p = node(id).propose(List.of(payloads), now);
        handle(id, p.ready());
        return p;
    }

    /** Hands {@code message} to its receiver directly (it need not have been sent by anyone). */
    void deliver(PaxosMessage message, long now) {
        handle(message.to(), node(message.to()).step(message, now));
    }

    /** Delivers the waiting messages that match, in order, once each; answers they cause wait in the network. */
    List<PaxosMessage> deliverWaiting(Predicate<PaxosMessage> which, long now) {
        List<PaxosMessage> picked = new ArrayList<>(network.stream().filter(which).toList());
        network.removeAll(picked);
        picked.forEach(m -> deliver(m, now));
        return picked;
    }

    void drop(Predicate<PaxosMessage> which) {
        network.removeIf(which);
    }

    /** Delivers everything, including the answers, until the network is quiet. */
    void stabilize(long now) {
        for (int round = 0; round < 100 && !network.isEmpty(); round++) {
            deliverWaiting(m -> true, now);
        }
    }

    /**
     * Delivers everything, then lets a learn delay pass and ticks the leader: its accept that tells the followers
     * what was decided goes round too. Returns that later time.
     */
    long stabilizeAndLearn(long now) {
        stabilize(now);
        long later = now + config("n1").learnDelay();
        for (String id : MEMBERS) {
            if (node(id).role() == Role.LEADER) {
                tick(id, later);
            }
        }
        stabilize(later);
        return later;
    }

    /** {@code id} times out and its pre-vote is answered; the prepares it then sends wait in the network. */
    void timeOutAndPreVote(String id, long now) {
        tick(id, now);
        deliverWaiting(m -> m instanceof PaxosMessage.PreVote, now);
        deliverWaiting(m -> m instanceof PaxosMessage.PreVoteReply, now);
    }

    /** {@code id} times out and wins an election; everything it causes is delivered at {@code now}. */
    void elect(String id, long now) {
        tick(id, now);
        stabilize(now);
    }

    <T extends PaxosMessage> List<T> waiting(Class<T> type) {
        return network.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static Predicate<PaxosMessage> to(String id) {
        return m -> m.to().equals(id);
    }

    static Predicate<PaxosMessage> from(String id) {
        return m -> m.from().equals(id);
    }
}
