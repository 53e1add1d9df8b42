package io.dtxlab.launcher.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.launcher.UserError;
import org.junit.jupiter.api.Test;

/** What {@code ./dtx chaos} accepts on its command line, and what it refuses before touching the cluster. */
class ChaosCommandTest {

    @Test
    void workloadsAreAListOfKnownNamesInTheirOrder() {
        assertThat(ChaosCommand.workloads(" Orders, quorum,orders ")).containsExactly("orders", "quorum");
    }

    @Test
    void anUnknownWorkloadIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> ChaosCommand.workloads("orders,bank")).isInstanceOf(UserError.class)
                .hasMessageContaining("orders,bank").hasMessageContaining("orders, register, async, quorum");
        assertThatThrownBy(() -> ChaosCommand.workloads(",")).isInstanceOf(UserError.class);
    }

    @Test
    void syncAndAsyncRegistersCannotRunTogetherSinceBothSetTheMastersMode() {
        assertThatThrownBy(() -> ChaosCommand.workloads("register,async")).isInstanceOf(UserError.class)
                .hasMessageContaining("one at a time");
    }

    @Test
    void aClientProcessBelongsToTheWorkloadItIsNamedAfter() {
        assertThat(ChaosCommand.workloadOf("orders-3")).isEqualTo("orders");
        assertThat(ChaosCommand.workloadOf("nemesis")).isNull();
    }
}
