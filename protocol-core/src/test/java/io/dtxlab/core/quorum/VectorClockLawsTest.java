package io.dtxlab.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The laws a vector clock must keep, checked over thousands of seeded random clocks. Voldemort once shipped a
 * merge that was not the least upper bound; these would have caught it.
 */
class VectorClockLawsTest {

    private static final int CASES = 5_000;

    @Test
    void compareIsReflexive() {
        Seeds.forEach("reflexive", CASES, random -> {
            VectorClock a = Seeds.clock(random);
            assertThat(a.compare(a)).isEqualTo(Causality.EQUAL);
            assertThat(a.descends(a)).isTrue();
        });
    }

    @Test
    void compareIsAntisymmetricAndMirrored() {
        Seeds.forEach("antisymmetric", CASES, random -> {
            VectorClock a = Seeds.clock(random);
            VectorClock b = Seeds.clock(random);
            if (a.descends(b) && b.descends(a)) {
                assertThat(a).isEqualTo(b);
            }
            assertThat(b.compare(a)).isEqualTo(mirror(a.compare(b)));
            assertThat(a.concurrentWith(b)).isEqualTo(!a.descends(b) && !b.descends(a));
        });
    }

    @Test
    void descendsIsTransitive() {
        Seeds.forEach("transitive", CASES, random -> {
            VectorClock c = Seeds.clock(random);
            VectorClock b = c.merge(Seeds.clock(random));
            VectorClock a = b.merge(Seeds.clock(random));
            assertThat(a.descends(b) && b.descends(c)).isTrue();
            assertThat(a.descends(c)).isTrue();
        });
    }

    @Test
    void mergeIsTheLeastUpperBound() {
        Seeds.forEach("least upper bound", CASES, random -> {
            VectorClock a = Seeds.clock(random);
            VectorClock b = Seeds.clock(random);
            VectorClock merged = a.merge(b);
            // an upper bound ...
            assertThat(merged.descends(a)).as("%s descends %s", merged, a).isTrue();
            assertThat(merged.descends(b)).as("%s descends %s", merged, b).isTrue();
            // ... and the least: every clock above both is above the merge
            VectorClock c = Seeds.clock(random);
            if (c.descends(a) && c.descends(b)) {
                assertThat(c.descends(merged)).as("%s above %s and %s descends %s", c, a, b, merged).isTrue();
            }
            VectorClock above = merged.merge(c);
            assertThat(above.descends(merged)).isTrue();
            // nothing lower than the merge in any entry is still above both
            for (Map.Entry<String, Long> entry : merged.counters().entrySet()) {
                var less = new TreeMap<>(merged.counters());
                less.put(entry.getKey(), entry.getValue() - 1);
                VectorClock below = VectorClock.of(less);
                assertThat(below.descends(a) && below.descends(b)).as("%s is above %s and %s", below, a, b).isFalse();
            }
        });
    }

    @Test
    void mergeIsCommutativeAssociativeAndIdempotent() {
        Seeds.forEach("semilattice", CASES, random -> {
            VectorClock a = Seeds.clock(random);
            VectorClock b = Seeds.clock(random);
            VectorClock c = Seeds.clock(random);
            assertThat(a.merge(b)).isEqualTo(b.merge(a));
            assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
            assertThat(a.merge(a)).isEqualTo(a);
            assertThat(a.merge(VectorClock.empty())).isEqualTo(a);
        });
    }

    @Test
    void anAdvancedClockStrictlyDescendsItsContextAndEverythingItsNodeGaveBefore() {
        Seeds.forEach("advance", CASES, random -> {
            VectorClock context = Seeds.clock(random);
            long last = random.nextInt(5);
            VectorClock next = context.advance("replica-2", last);
            assertThat(next.compare(context)).isEqualTo(Causality.AFTER);
            assertThat(next.counter("replica-2")).isGreaterThan(last);
            assertThat(context.increment("replica-3").compare(context)).isEqualTo(Causality.AFTER);
        });
    }

    @Test
    void encodingRoundTrips() {
        Seeds.forEach("encoding", CASES, random -> {
            VectorClock a = Seeds.clock(random);
            assertThat(VectorClock.parse(a.encode())).isEqualTo(a);
        });
    }

    @Test
    void theDynamoPaperClocksRelateAsThePaperSays() {
        // given the Dynamo paper's D2 (A,2), D3 (A,2; B,1) and D4 (A,2; C,1)
        VectorClock d2 = VectorClock.parse("A:2");
        VectorClock d3 = VectorClock.parse("A:2,B:1");
        VectorClock d4 = VectorClock.parse("A:2,C:1");

        // then D2 is older than both, and D3 and D4 conflict
        assertThat(d2.compare(d3)).isEqualTo(Causality.BEFORE);
        assertThat(d3.compare(d2)).isEqualTo(Causality.AFTER);
        assertThat(d3.compare(d4)).isEqualTo(Causality.CONCURRENT);
        assertThat(d3.merge(d4)).hasToString("[A:2, B:1, C:1]");
    }

    private static Causality mirror(Causality c) {
        switch (c) {
            case BEFORE:
                return Causality.AFTER;
            case AFTER:
                return Causality.BEFORE;
            default:
                return c;
        }
    }
}
