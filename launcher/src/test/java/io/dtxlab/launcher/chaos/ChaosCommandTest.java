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
                .hasMessageContaining("orders,bank").hasMessageContaining("orders, register, async, semi-sync, quorum");
        assertThatThrownBy(() -> ChaosCommand.workloads(",")).isInstanceOf(UserError.class);
    }

    @Test
    void workloadsThatSetTheMastersModeRunOneAtATime() {
        assertThatThrownBy(() -> ChaosCommand.workloads("register,async")).isInstanceOf(UserError.class)
                .hasMessageContaining("one at a time");
        assertThatThrownBy(() -> ChaosCommand.workloads("semi-sync,async")).isInstanceOf(UserError.class);
        assertThat(ChaosCommand.workloads("semi-sync,orders,quorum")).hasSize(3);
    }

    @Test
    void faultsAndTargetsAreNamedAsTheHelpSays() {
        assertThat(ChaosCommand.kinds("crash, Pause")).containsExactly(FaultPlan.Kind.CRASH, FaultPlan.Kind.PAUSE);
        assertThat(ChaosCommand.target("master")).isEqualTo(FaultPlan.Target.MASTER);
        assertThatThrownBy(() -> ChaosCommand.kinds("crash,flood")).isInstanceOf(UserError.class)
                .hasMessageContaining("flood");
        assertThatThrownBy(() -> ChaosCommand.target("kafka")).isInstanceOf(UserError.class)
                .hasMessageContaining("kafka");
    }

    @Test
    void aClientProcessBelongsToTheWorkloadItIsNamedAfter() {
        assertThat(ChaosCommand.workloadOf("orders-3")).isEqualTo("orders");
        assertThat(ChaosCommand.workloadOf("nemesis")).isNull();
    }
}
