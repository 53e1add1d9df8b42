package io.dtxlab.core.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashRingTest {

    private static final List<String> NODES = List.of("replica-1", "replica-2", "replica-3", "replica-4");

    @Test
    void thePreferenceListIsNDistinctNodesAndTheStandInsAreTheRest() {
        HashRing ring = new HashRing(NODES, 64);
        Seeds.forEach("preference list", 2_000, random -> {
            String key = "key-" + random.nextLong();
            List<String> owners = ring.preferenceList(key, 3);
            List<String> standIns = ring.standIns(key, 3);

            assertThat(owners).hasSize(3).doesNotHaveDuplicates();
            assertThat(standIns).hasSize(1).doesNotContainAnyElementsOf(owners);
            assertThat(ring.walk(key)).startsWith(owners.toArray(String[]::new));
        });
    }

    @Test
    void everyNodeComputesTheSameRing() {
        // given two nodes that list the members in different orders, then they place every key alike
        HashRing one = new HashRing(NODES, 32);
        HashRing other = new HashRing(List.of("replica-4", "replica-2", "replica-1", "replica-3"), 32);

        Seeds.forEach("same ring", 500, random -> {
            String key = Long.toHexString(random.nextLong());
            assertThat(other.preferenceList(key, 2)).isEqualTo(one.preferenceList(key, 2));
        });
    }

    @Test
    void virtualNodesSpreadTheKeysEvenly() {
        // given 4 nodes with 128 virtual nodes each, then each is first for 25% +- 8% of the keys
        HashRing ring = new HashRing(NODES, 128);
        Map<String, Integer> first = new HashMap<>();
        Seeds.forEach("spread", 20_000, random ->
                first.merge(ring.preferenceList("k" + random.nextLong(), 1).get(0), 1, Integer::sum));

        first.values().forEach(count -> assertThat(count).isBetween(3_400, 6_600));
        assertThat(ring.ownership().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aNodeThatLeavesMovesOnlyItsOwnKeys() {
        // consistent hashing: removing replica-4 changes the primary of only the keys replica-4 was primary for
        HashRing before = new HashRing(NODES, 64);
        HashRing after = new HashRing(NODES.subList(0, 3), 64);

        Seeds.forEach("minimal movement", 2_000, random -> {
            String key = "k" + random.nextLong();
            String was = before.preferenceList(key, 1).get(0);
            if (!was.equals("replica-4")) {
                assertThat(after.preferenceList(key, 1).get(0)).isEqualTo(was);
            }
        });
    }

    @Test
    void nMustFitTheRing() {
        HashRing ring = new HashRing(NODES.subList(0, 3), 8);

        assertThatThrownBy(() -> ring.preferenceList("k", 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("N=4").hasMessageContaining("3 nodes");
    }
}
