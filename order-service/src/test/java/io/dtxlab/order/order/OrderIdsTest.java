package io.dtxlab.order.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An order's ids are time-ordered, so that every table keyed by them (orders, branches, the coordinators' log) is
 * written at the right edge of its B-tree.
 */
class OrderIdsTest {

    @Test
    void idsMadeOneAfterAnotherSortInTheOrderTheyWereMadeAndNeverRepeat() throws InterruptedException {
        // given ids made one after another, across a change of millisecond
        List<OrderPlacement.OrderIds> made = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            made.add(OrderPlacement.OrderIds.fresh());
            if (i == 10_000) {
                Thread.sleep(2);
            }
        }

        // then each is ord- or tx- and the same 16 hex digits, no two are equal, and as text they sort as made
        for (OrderPlacement.OrderIds ids : made) {
            assertThat(ids.orderId()).matches("ord-[0-9a-f]{16}");
            assertThat(ids.xid()).isEqualTo("tx-" + ids.orderId().substring("ord-".length()));
        }
        assertThat(new HashSet<>(made.stream().map(OrderPlacement.OrderIds::xid).toList())).hasSize(made.size());
        List<String> xids = made.stream().map(OrderPlacement.OrderIds::xid).toList();
        long outOfOrder = 0;
        for (int i = 1; i < xids.size(); i++) {
            if (xids.get(i).compareTo(xids.get(i - 1)) < 0) {
                outOfOrder++;
            }
        }
        // the counter's 20 bits wrap once in a million ids; a wrap inside one millisecond puts one id out of order
        assertThat(outOfOrder).isLessThanOrEqualTo(1);
        assertThat(xids.get(xids.size() - 1)).isGreaterThan(xids.get(0));
    }

    @Test
    void theFirstElevenDigitsAreTheMillisecondsSince1970() {
        long before = System.currentTimeMillis();
        String digits = OrderPlacement.OrderIds.fresh().xid().substring("tx-".length());
        long after = System.currentTimeMillis();

        assertThat(Long.parseLong(digits.substring(0, 11), 16)).isBetween(before, after);
    }
}
