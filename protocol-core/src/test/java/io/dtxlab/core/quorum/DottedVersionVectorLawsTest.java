package io.dtxlab.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The laws of dotted version vectors (Preguiça et al. 2010): concurrent writes are siblings whichever node
 * coordinates them; a write drops only what its context has seen; merging replicas' versions is commutative,
 * associative and idempotent.
 */
class DottedVersionVectorLawsTest {

    private static final String[] NODES = {"replica-1", "replica-2", "replica-3"};

    @Test
    void twoWritesOnTopOfOneReadThroughTheSameNodeAreSiblings() {
        Version base = Version.write(new Dot("replica-1", 1), VectorClock.empty(), "base");
        VectorClock read = Siblings.context(List.of(base));

        Version a = Version.write(new Dot("replica-1", 2), read, "from-A");
        Version b = Version.write(new Dot("replica-1", 3), read, "from-B");
        List<Version> held = Siblings.apply(Siblings.apply(List.of(base), List.of(a)).versions(), List.of(b)).versions();

        assertThat(held).containsExactlyInAnyOrder(a, b);
        // a plain vector clock would have given B the clock replica-1:3, which descends A's replica-1:2: A lost
        assertThat(b.clock()).isEqualTo(VectorClock.parse("replica-1:3"));
        assertThat(b.covers(a)).isFalse();
        // the read of both has seen both; a write with it resolves them
        Version resolved = Version.write(new Dot("replica-2", 1), Siblings.context(held), "merged");
        assertThat(Siblings.apply(held, List.of(resolved)).versions()).containsExactly(resolved);
    }

    @Test
    void theDynamoExampleKeepsItsClocks() {
        Version d1 = Version.write(new Dot("A", 1), VectorClock.empty(), "D1");
        Version d2 = Version.write(new Dot("A", 2), d1.context(), "D2");
        Version d3 = Version.write(new Dot("B", 1), d2.context(), "D3");
        Version d4 = Version.write(new Dot("C", 1), d2.context(), "D4");

        assertThat(Siblings.reconcile(List.of(d1, d2, d3, d4))).containsExactly(d3, d4);
        assertThat(d3.clock()).hasToString("[A:2, B:1]");
        assertThat(d4.clock()).hasToString("[A:2, C:1]");
        VectorClock context = Siblings.context(List.of(d3, d4));
        assertThat(context).hasToString("[A:2, B:1, C:1]");
        Version d5 = Version.write(new Dot("A", 3), context, "D5");
        assertThat(d5.clock()).hasToString("[A:3, B:1, C:1]");
        assertThat(Siblings.reconcile(List.of(d3, d4, d5))).containsExactly(d5);
    }

    @Test
    void aWriteNeverDropsAVersionItsContextHasNotSeen() {
        Seeds.forEach("dvv-no-lost-update", 2_000, random -> {
            History history = History.run(random, 12);
            for (History.Write w : history.writes) {
                assertThat(w.seen).as("%s dropped only versions its writer had seen", w.version)
                        .containsAll(w.dropped);
            }
            // every write is still held, or was dropped by a write whose writer had seen it
            Set<Version> dropped = new HashSet<>();
            history.writes.forEach(w -> dropped.addAll(w.dropped));
            for (History.Write w : history.writes) {
                assertThat(history.store.contains(w.version) || dropped.contains(w.version))
                        .as("%s is held or was superseded knowingly", w.version).isTrue();
            }
        });
    }

    @Test
    void mergingReplicasIsCommutativeAssociativeAndIdempotent() {
        Seeds.forEach("dvv-merge", 2_000, random -> {
            List<Version> pool = History.run(random, 10).all();
            List<Version> a = subset(pool, random);
            List<Version> b = subset(pool, random);
            List<Version> c = subset(pool, random);

            assertThat(merge(a, b)).isEqualTo(merge(b, a));
            assertThat(merge(merge(a, b), c)).isEqualTo(merge(a, merge(b, c)));
            assertThat(merge(a, a)).isEqualTo(Siblings.reconcile(a));
            assertThat(Siblings.reconcile(Siblings.reconcile(a))).isEqualTo(Siblings.reconcile(a));
            // and what is kept has not seen itself twice: no kept version covers another
            for (Version x : merge(a, b)) {
                for (Version y : merge(a, b)) {
                    assertThat(x != y && x.covers(y)).as("%s covers %s", x, y).isFalse();
                }
            }
        });
    }

    private static List<Version> merge(List<Version> x, List<Version> y) {
        return Siblings.apply(x, y).versions();
    }

    private static List<Version> subset(List<Version> pool, Random random) {
        List<Version> out = new ArrayList<>();
        pool.forEach(v -> {
            if (random.nextBoolean()) {
                out.add(v);
            }
        });
        return out;
    }

    /** Clients that read and write one key of one store through random nodes, interleaved at random. */
    private static final class History {

        record Write(Version version, Set<Version> seen, List<Version> dropped) {
        }

        final List<Version> store = new ArrayList<>();
        final List<Write> writes = new ArrayList<>();
        final Map<String, Long> counters = new HashMap<>();

        static History run(Random random, int steps) {
            History h = new History();
            int clients = 1 + random.nextInt(3);
            VectorClock[] contexts = new VectorClock[clients];
            List<Set<Version>> seen = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                contexts[i] = VectorClock.empty();
                seen.add(new HashSet<>());
            }
            for (int step = 0; step < steps; step++) {
                int client = random.nextInt(clients);
                if (random.nextBoolean()) { // read: every sibling, and the merged context
                    contexts[client] = Siblings.context(h.store);
                    seen.get(client).addAll(h.store);
                } else { // write through a random node, with the context the client has
                    String node = NODES[random.nextInt(NODES.length)];
                    long counter = h.counters.merge(node, 1L, Long::sum);
                    Version v = Version.write(new Dot(node, counter), contexts[client], "w" + step);
                    List<Version> before = List.copyOf(h.store);
                    List<Version> after = Siblings.apply(before, List.of(v)).versions();
                    List<Version> dropped = before.stream().filter(x -> !after.contains(x)).toList();
                    h.writes.add(new Write(v, Set.copyOf(seen.get(client)), dropped));
                    h.store.clear();
                    h.store.addAll(after);
                    // without reading again, the client writes next with its write's own context
                    contexts[client] = v.context();
                    seen.get(client).add(v);
                }
            }
            return h;
        }

        List<Version> all() {
            return writes.stream().map(Write::version).toList();
        }
    }
}
