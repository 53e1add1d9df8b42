package io.dtxlab.cluster.twopc;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.coordinator.CoordinatorApplication;
import io.dtxlab.inventory.InventoryApplication;
import io.dtxlab.order.OrderApplication;
import io.dtxlab.payment.PaymentApplication;
import io.dtxlab.testsupport.LabClusterExtension;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

class TwoPhaseCommitConcurrencyTest {

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> nodes
            .node("order", OrderApplication.class)
            .node("inventory", InventoryApplication.class)
            .node("payment", PaymentApplication.class)
            .node(Shop.COORDINATOR, CoordinatorApplication.class)
            // a busy 2-core CI machine: the point here is contention, not the timeout
            .property("dtx.coordinator.prepare-timeout", "20s"));

    final Shop shop = new Shop(lab.cluster());

    @Test
    void hundredConcurrentOrdersForFiftyUnitsConfirmExactlyFifty() throws Exception {
        // given a SKU with 50 units in stock
        lab.node("inventory").bean(JdbcTemplate.class).update("insert into stock (sku, unit_price, available, "
                + "reserved, sold, version) values ('LIMITED', 1.00, 50, 0, 0, 0)");
        Shop.Funds funds = shop.funds("alice");

        // when 100 customers' orders of one unit arrive at once
        ExecutorService clients = Executors.newFixedThreadPool(50);
        List<Callable<Shop.Placed>> orders = IntStream.range(0, 100)
                .<Callable<Shop.Placed>>mapToObj(i -> () -> shop.order("alice", "LIMITED", 1)).toList();
        List<String> outcomes = clients.invokeAll(orders).stream().map(TwoPhaseCommitConcurrencyTest::outcome).toList();
        clients.shutdown();

        // then exactly 50 are confirmed, the stock is sold out, money is conserved, and nothing is left in doubt
        assertThat(outcomes.stream().filter("CONFIRMED"::equals).count()).isEqualTo(50);
        assertThat(outcomes.stream().filter("REJECTED"::equals).count()).isEqualTo(50);
        shop.awaitNoBranchInDoubt();
        assertThat(shop.stock("LIMITED")).isEqualTo(new Shop.Stock(0, 0, 50));
        Shop.Funds after = shop.funds("alice");
        assertThat(after.charged()).isEqualByComparingTo(funds.charged().add(new BigDecimal("50.00")));
        assertThat(after.held()).isEqualByComparingTo(funds.held());
        assertThat(after.total()).isEqualByComparingTo(funds.total());
        assertThat(Map.of("outcomes", outcomes.size())).containsEntry("outcomes", 100);
    }

    private static String outcome(Future<Shop.Placed> placed) {
        try {
            return placed.get().outcome();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
