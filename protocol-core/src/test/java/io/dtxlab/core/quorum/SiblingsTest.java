package io.dtxlab.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sibling reconciliation, first on the Dynamo paper's D1..D4, then over seeded random version sets. */
class SiblingsTest {

    private static final Version D1 = new Version(VectorClock.parse("A:1"), "D1");
    private static final Version D2 = new Version(VectorClock.parse("A:2"), "D2");
    private static final Version D3 = new Version(VectorClock.parse("A:2,B:1"), "D3");
    private static final Version D4 = new Version(VectorClock.parse("A:2,C:1"), "D4");

    @Test
    void d2OverwritesD1WithoutConflict() {
        // given A holds D1, when D2 (A,2) arrives, then D1 is gone
        assertThat(Siblings.apply(List.of(D1), List.of(D2)).versions()).containsExactly(D2);
        // and D1 arriving late changes nothing
        assertThat(Siblings.apply(List.of(D2), List.of(D1)).changed()).isFalse();
    }

    @Test
    void aReadOfD2D3AndD4ReturnsD3AndD4AsSiblingsAndNeverD2() {
        // given the three answers of an R=3 read: A has D2, B has D3, C has D4
        List<Version> reconciled = Siblings.reconcile(List.of(D2, D3, D4));

        // then D2 is dropped: both D3 and D4 cover it; D3 and D4 conflict
        assertThat(reconciled).containsExactly(D3, D4);
        assertThat(Siblings.context(reconciled)).isEqualTo(VectorClock.parse("A:2,B:1,C:1"));
    }

    @Test
    void aWriteWithTheMergedContextResolvesTheSiblings() {
        // given siblings D3 and D4, when A writes D5 with their merged context
        VectorClock context = Siblings.context(List.of(D3, D4));
        Version d5 = new Version(context.advance("A", 2), "D5");

        // then D5 covers both, and is all that is kept
        assertThat(d5.clock()).hasToString("[A:3, B:1, C:1]");
        assertThat(Siblings.apply(List.of(D3, D4), List.of(d5)).versions()).containsExactly(d5);
    }

    @Test
    void readRepairSendsAReplicaOnlyWhatItLacks() {
        List<Version> newest = List.of(D3, D4);

        assertThat(Siblings.missing(newest, List.of(D2))).containsExactly(D3, D4);
        assertThat(Siblings.missing(newest, List.of(D3))).containsExactly(D4);
        assertThat(Siblings.missing(newest, List.of(D4, D3))).isEmpty();
    }

    @Test
    void reconcileKeepsAnAntichainThatCoversEveryInputWhateverTheOrder() {
        Seeds.forEach("reconcile", 3_000, random -> {
            List<Version> versions = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                VectorClock clock = Seeds.clock(random);
                versions.add(new Version(clock, "v" + clock.encode()));
            }
            List<Version> kept = Siblings.reconcile(versions);

            // no kept version covers another
            for (Version a : kept) {
                for (Version b : kept) {
                    if (a != b) {
                        assertThat(a.clock().compare(b.clock())).as("%s vs %s", a, b).isEqualTo(Causality.CONCURRENT);
                    }
                }
            }
            // every input is covered by something kept
            for (Version v : versions) {
                assertThat(kept).as("something kept covers %s", v).anyMatch(k -> k.covers(v));
            }
            // the same whatever order the answers came in, and stable when reconciled again
            List<Version> shuffled = new ArrayList<>(versions);
            Collections.shuffle(shuffled, random);
            assertThat(Siblings.reconcile(shuffled)).isEqualTo(kept);
            assertThat(Siblings.reconcile(kept)).isEqualTo(kept);
            // and a write with the merged context covers them all
            Version resolved = new Version(Siblings.context(kept).advance("replica-1", 0), "resolved");
            assertThat(Siblings.apply(kept, List.of(resolved)).versions()).containsExactly(resolved);
        });
    }
}
