package io.dtxlab.platform.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

class FaultInjectorTest {

    private final List<String> crashes = new ArrayList<>();
    private final FaultInjector faults = injector();

    @Test
    void withNothingArmedEveryPointPasses() {
        assertThat(faults.at("send:prepare", "tx-1", "inventory")).isEqualTo(Injected.NONE);
    }

    @Test
    void aRuleArmedForNTimesFiresNTimesThenDisarmsItself() {
        faults.arm("send:prepare", FaultAction.DROP, null, null, null, 2);

        assertThat(faults.at("send:prepare", "tx-1", "inventory")).isEqualTo(Injected.DROP);
        assertThat(faults.at("send:prepare", "tx-2", "inventory")).isEqualTo(Injected.DROP);
        assertThat(faults.at("send:prepare", "tx-3", "inventory")).isEqualTo(Injected.NONE);
        assertThat(faults.armed()).isEmpty();
    }

    @Test
    void aRuleScopedToOneTransactionAndOnePeerLeavesTheOthersAlone() {
        faults.arm("send:prepare", FaultAction.ERROR, null, "tx-7", "payment", null);

        assertThat(faults.at("send:prepare", "tx-7", "inventory")).isEqualTo(Injected.NONE);
        assertThat(faults.at("send:prepare", "tx-8", "payment")).isEqualTo(Injected.NONE);
        assertThatThrownBy(() -> faults.at("send:prepare", "tx-7", "payment"))
                .isInstanceOf(InjectedFaultException.class).hasMessageContaining("tx-7");
    }

    @Test
    void aCrashNeverLetsTheCallerGoOnEvenIfTheHandlerReturns() {
        faults.arm("coordinator.after-decision", FaultAction.CRASH, null, null, null, null);

        assertThatThrownBy(() -> faults.at("coordinator.after-decision", "tx-1"))
                .isInstanceOf(NodeCrashedException.class);
        assertThat(crashes).containsExactly("coordinator.after-decision");
    }

    @Test
    void aRuleForAnUnknownPointOrADelayWithoutDurationIsRefused() {
        assertThatThrownBy(() -> faults.arm("coordinator.after-decison", FaultAction.CRASH, null, null, null, null))
                .hasMessageContaining("unknown fault point 'coordinator.after-decison'")
                .hasMessageContaining("coordinator.after-decision");
        assertThatThrownBy(() -> faults.arm("send:prepare", FaultAction.DELAY, Duration.ZERO, null, null, null))
                .hasMessageContaining("positive delayMs");
        assertThatThrownBy(() -> faults.arm("send:", FaultAction.DROP, null, null, null, null))
                .hasMessageContaining("unknown fault point");
    }

    @Test
    void theFirstMatchingRuleWinsAndClearingOneLeavesTheRest() {
        FaultRule drop = faults.arm("send:commit", FaultAction.DROP, null, null, null, null);
        faults.arm("send:commit", FaultAction.ERROR, null, null, null, null);

        assertThat(faults.at("send:commit", null, null)).isEqualTo(Injected.DROP);
        assertThat(faults.clear(drop.id())).isTrue();
        assertThatThrownBy(() -> faults.at("send:commit", null, null)).isInstanceOf(InjectedFaultException.class);
    }

    private FaultInjector injector() {
        StaticListableBeanFactory points = new StaticListableBeanFactory();
        points.addBean("afterDecision", new FaultPoint("coordinator.after-decision", "decision logged, nothing sent"));
        return new FaultInjector((point, scope) -> crashes.add(point), points.getBeanProvider(FaultPoint.class));
    }
}
