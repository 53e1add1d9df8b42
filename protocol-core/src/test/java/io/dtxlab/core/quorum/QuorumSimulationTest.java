package io.dtxlab.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A seeded simulation of Dynamo-style replication on five replicas with N = 3, built from the cores the replica
 * service uses (ring, rounds, clocks, siblings). Nodes go down and come back, messages and replies are lost, and
 * clients write (with the context of their last read) and read with random R and W through random coordinators;
 * stand-ins take hints, hints are handed off, reads repair. The invariants are checked after every step; a failure
 * prints the seed and the last steps of the trace.
 */
class QuorumSimulationTest {

    private static final List<String> NODES = List.of("replica-1", "replica-2", "replica-3", "replica-4", "replica-5");
    private static final List<String> KEYS = List.of("a", "b", "c");
    private static final int N = 3;

    @Test
    void noAcknowledgedWriteIsLostAndOverlappingQuorumsReadTheLastAcknowledgedWrite() {
        Seeds.forEach("quorum simulation", 200, random -> new Simulation(random).run(150));
    }

    private record Hint(String standIn, String owner, String key, Version version) {
    }

    private static final class Simulation {

        final Random random;
        final HashRing ring = new HashRing(NODES, 16);
        final Map<String, Map<String, List<Version>>> data = new HashMap<>();
        final List<Hint> hints = new ArrayList<>();
        final Set<String> down = new HashSet<>();
        final Map<String, Long> counters = new HashMap<>();
        final Map<String, VectorClock> clientContext = new HashMap<>();
        final Map<String, List<Version>> acknowledged = new HashMap<>();
        /** The last acknowledged write of each key, and whether an overlapping read must see it. */
        final Map<String, Version> lastAck = new HashMap<>();
        final Map<String, Integer> lastAckW = new HashMap<>();
        final Map<String, Boolean> lastAckStrict = new HashMap<>();
        final Deque<String> trace = new ArrayDeque<>();
        int writes;
        boolean calm;

        Simulation(Random random) {
            this.random = random;
            NODES.forEach(n -> data.put(n, new HashMap<>()));
        }

        void run(int steps) {
            try {
                for (int step = 0; step < steps; step++) {
                    int action = random.nextInt(10);
                    if (action < 1) {
                        toggleNode();
                    } else if (action < 5) {
                        write(KEYS.get(random.nextInt(KEYS.size())));
                    } else if (action < 9) {
                        read(KEYS.get(random.nextInt(KEYS.size())), 1 + random.nextInt(N));
                    } else {
                        handOffHints();
                    }
                    checkInvariants();
                }
                // heal: every node up, no message lost, every hint handed over, one full read with repair per key
                down.clear();
                calm = true;
                while (!hints.isEmpty()) {
                    handOffHints();
                }
                for (String key : KEYS) {
                    read(key, N);
                    List<Version> converged = null;
                    for (String owner : ring.preferenceList(key, N)) {
                        List<Version> held = held(owner, key);
                        if (converged == null) {
                            converged = held;
                        }
                        assertThat(held).as("owners of %s converge after repair", key).isEqualTo(converged);
                    }
                    for (Version v : acknowledged.getOrDefault(key, List.of())) {
                        assertThat(converged).as("acknowledged %s of %s survives", v, key).anyMatch(c -> c.covers(v));
                    }
                }
                checkInvariants();
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nlast steps:\n  " + String.join("\n  ", trace), e);
            }
        }

        void toggleNode() {
            String node = NODES.get(random.nextInt(NODES.size()));
            if (down.contains(node)) {
                down.remove(node);
                log(node + " comes back");
            } else if (down.size() < 2) {
                down.add(node);
                log(node + " goes down");
            }
        }

        void write(String key) {
            List<String> up = NODES.stream().filter(n -> !down.contains(n)).toList();
            String coordinator = up.get(random.nextInt(up.size()));
            int w = 1 + random.nextInt(N);
            VectorClock context = clientContext.getOrDefault(key, VectorClock.empty());
            String counterKey = coordinator + "|" + key;
            // the coordinator's next dot for the key: above every counter it gave the key (dotted version vectors)
            Dot dot = new Dot(coordinator, Math.max(counters.getOrDefault(counterKey, 0L),
                    context.counter(coordinator)) + 1);
            counters.put(counterKey, dot.counter());
            Version version = Version.write(dot, context, "w" + (++writes));
            QuorumRound round = new QuorumRound(ring.preferenceList(key, N), ring.standIns(key, N), w);
            deliver(round, send -> {
                if (send.toStandIn()) {
                    hints.add(new Hint(send.node(), send.hintFor(), key, version));
                } else {
                    store(send.node(), key, List.of(version));
                }
            });
            assertThat(round.reached()).isEqualTo(round.answered().size() >= w);
            log("write " + version + " of " + key + " via " + coordinator + " W=" + w + ": "
                    + (round.reached() ? "acked by " + round.answered() : "failed") + " stand-ins "
                    + round.standInsAnswered());
            if (round.reached()) {
                acknowledged.computeIfAbsent(key, k -> new ArrayList<>()).add(version);
                lastAck.put(key, version);
                lastAckW.put(key, w);
                lastAckStrict.put(key, round.standInsAnswered().isEmpty());
                // W holders, counting hints: an acknowledged write is on W nodes
                long holders = NODES.stream().filter(n -> held(n, key).stream().anyMatch(v -> v.covers(version))
                        || hints.stream().anyMatch(h -> h.standIn().equals(n) && h.version().equals(version))).count();
                assertThat(holders).as("nodes holding acknowledged %s", version).isGreaterThanOrEqualTo(w);
            }
        }

        void read(String key, int r) {
            Map<String, List<Version>> answers = new TreeMap<>();
            QuorumRound round = new QuorumRound(ring.preferenceList(key, N), ring.standIns(key, N), r);
            deliver(round, send -> answers.put(send.node(), send.toStandIn()
                    ? Siblings.reconcile(hints.stream().filter(h -> h.standIn().equals(send.node())
                            && h.owner().equals(send.hintFor()) && h.key().equals(key)).map(Hint::version).toList())
                    : held(send.node(), key)));
            log("read " + key + " R=" + r + ": " + (round.reached() ? "answered by " + round.answered() : "failed")
                    + " stand-ins " + round.standInsAnswered());
            if (!round.reached()) {
                return;
            }
            List<Version> seen = new ArrayList<>();
            round.answered().forEach(n -> seen.addAll(answers.get(n)));
            List<Version> result = Siblings.reconcile(seen);
            Version last = lastAck.get(key);
            if (last != null && r + lastAckW.get(key) > N && lastAckStrict.get(key)
                    && round.standInsAnswered().isEmpty()) {
                assertThat(result).as("R=%d + W=%d > N read of %s sees %s", r, lastAckW.get(key), key, last)
                        .anyMatch(v -> v.covers(last));
            }
            clientContext.put(key, Siblings.context(result));
            // read repair, once every message is settled: owners that answered get what they lack
            List<Version> everything = new ArrayList<>();
            answers.values().forEach(everything::addAll);
            List<Version> newest = Siblings.reconcile(everything);
            answers.forEach((node, versions) -> {
                List<Version> missing = Siblings.missing(newest, versions);
                if (!missing.isEmpty() && !round.isStandIn(node) && !lost()) {
                    store(node, key, missing);
                }
            });
        }

        /** Sends the round's messages in random order until all are settled; lost requests and replies fail. */
        void deliver(QuorumRound round, java.util.function.Consumer<QuorumRound.Send> apply) {
            List<QuorumRound.Send> pending = new ArrayList<>(round.start());
            while (!pending.isEmpty()) {
                QuorumRound.Send send = pending.remove(random.nextInt(pending.size()));
                boolean requestLost = down.contains(send.node()) || lost();
                if (!requestLost) {
                    apply.accept(send);
                }
                if (requestLost || lost()) {
                    round.fail(send.node(), requestLost ? "request lost" : "reply lost").ifPresent(pending::add);
                } else {
                    round.answer(send.node());
                }
            }
            assertThat(round.settled()).isTrue();
            assertThat(round.decided()).isTrue();
        }

        void handOffHints() {
            List<Hint> delivered = new ArrayList<>();
            for (Hint h : hints) {
                if (!down.contains(h.owner()) && !lost()) {
                    store(h.owner(), h.key(), List.of(h.version()));
                    delivered.add(h);
                }
            }
            hints.removeAll(delivered);
            if (!delivered.isEmpty()) {
                log("handed off " + delivered.size() + " hint(s)");
            }
        }

        void checkInvariants() {
            for (String node : NODES) {
                for (var entry : data.get(node).entrySet()) {
                    assertThat(entry.getValue()).as("%s holds of %s a reconciled set", node, entry.getKey())
                            .isEqualTo(Siblings.reconcile(entry.getValue()));
                }
            }
            acknowledged.forEach((key, versions) -> {
                for (Version v : versions) {
                    boolean kept = NODES.stream().anyMatch(n -> held(n, key).stream().anyMatch(h -> h.covers(v)))
                            || hints.stream().anyMatch(h -> h.key().equals(key) && h.version().covers(v));
                    assertThat(kept).as("acknowledged %s of %s is still covered somewhere", v, key).isTrue();
                }
            });
        }

        List<Version> held(String node, String key) {
            return data.get(node).getOrDefault(key, List.of());
        }

        void store(String node, String key, List<Version> versions) {
            data.get(node).put(key, Siblings.apply(held(node, key), versions).versions());
        }

        boolean lost() {
            return !calm && random.nextInt(10) == 0;
        }

        void log(String line) {
            trace.addLast(line + (down.isEmpty() ? "" : "  [down " + new java.util.TreeSet<>(down) + "]"));
            if (trace.size() > 25) {
                trace.removeFirst();
            }
        }
    }
}
