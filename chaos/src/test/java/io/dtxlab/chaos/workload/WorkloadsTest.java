package io.dtxlab.chaos.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.bench.Http;
import io.dtxlab.bench.ProtocolMix;
import io.dtxlab.bench.Targets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkloadsTest {

    private final Targets targets = new Targets(Map.of("order", "http://127.0.0.1:1", "inventory",
            "http://127.0.0.1:2", "payment", "http://127.0.0.1:3", "replica-1", "http://127.0.0.1:4"), "admin");
    private final Http http = Workloads.http(targets);

    @AfterEach
    void close() {
        http.close();
    }

    @Test
    void eachNameMakesItsWorkload() {
        Workloads.Context context = new Workloads.Context(targets, "cluster", 7, null);

        assertThat(Workloads.NAMES).allSatisfy(name ->
                assertThat(Workloads.create(name, context, http).name()).isEqualTo(name));
        assertThat(Workloads.create(" Orders ", context, http)).isInstanceOf(OrdersWorkload.class);
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        Workloads.Context context = new Workloads.Context(targets, null, 7, ProtocolMix.only("3PC"));

        assertThatThrownBy(() -> Workloads.create("bank", context, http))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown workload 'bank': use one of orders, register, async, semi-sync, quorum");
    }

    @Test
    void asyncNeedsTheClusterTokenToReadTheLog() {
        Workloads.Context context = new Workloads.Context(targets, null, 7, null);

        assertThatThrownBy(() -> Workloads.create("async", context, http)).hasMessageContaining("cluster token");
    }

    @Test
    void ordersNeedTheirParticipants() {
        Targets replicasOnly = new Targets(Map.of("replica-1", "http://127.0.0.1:4"), "admin");

        assertThatThrownBy(() -> Workloads.create("orders", new Workloads.Context(replicasOnly, null, 1, null), http))
                .hasMessageContaining("no node 'order'");
    }
}
