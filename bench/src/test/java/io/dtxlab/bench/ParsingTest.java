package io.dtxlab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParsingTest {

    @Test
    void durationsTakeMillisecondsSecondsMinutesAndHours() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse(" 0s ")).isEqualTo(Duration.ZERO);
        for (String bad : new String[] {"", "s", "-5s", "5 days", "5x", "1e3s"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a duration");
        }
        assertThat(Durations.format(Duration.ofSeconds(20))).isEqualTo("20s");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    }

    @Test
    void aProtocolMixIsNormalisedAndDrawnByWeight() {
        assertThat(ProtocolMix.parse("2pc").weights()).containsExactly(Map.entry("2PC", 1.0));
        assertThat(ProtocolMix.parse("2PC").toString()).isEqualTo("2PC");
        ProtocolMix mix = ProtocolMix.parse("2PC=1, 3PC=3");
        assertThat(mix.weights()).containsExactly(Map.entry("2PC", 0.25), Map.entry("3PC", 0.75));
        assertThat(mix.toString()).isEqualTo("2PC=0.25,3PC=0.75");
        SplittableRandom random = new SplittableRandom(42);
        int threePc = 0;
        for (int i = 0; i < 10_000; i++) {
            threePc += mix.pick(random).equals("3PC") ? 1 : 0;
        }
        assertThat(threePc / 10_000.0).isCloseTo(0.75, within(0.03));
        assertThat(ProtocolMix.parse("NONE=0,2PC=1").pick(random)).isEqualTo("2PC");

        assertThatThrownBy(() -> ProtocolMix.parse("4PC")).hasMessageContaining("unknown protocol '4PC'");
        assertThatThrownBy(() -> ProtocolMix.parse("2PC=x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ProtocolMix.parse("2PC=-1")).hasMessageContaining("0 or more");
        assertThatThrownBy(() -> ProtocolMix.parse("2PC=0")).hasMessageContaining("more than 0");
        assertThatThrownBy(() -> ProtocolMix.parse("2PC,2PC")).hasMessageContaining("cannot read");
    }

    @Test
    void prometheusTextGivesSamplesWithLabelsAndSums() {
        PrometheusText text = PrometheusText.parse("""
                # HELP dtx_messages_seconds one per message sent
                # TYPE dtx_messages_seconds summary
                dtx_messages_seconds_count{kind="prepare",outcome="OK",to="inventory"} 12
                dtx_messages_seconds_count{kind="prepare",outcome="OK",to="payment",} 10.0
                dtx_messages_seconds_count{kind="paxos-accept",outcome="OK",to="coordinator-2"} 3
                process_cpu_time_ns_total 2.5E9
                odd_label{detail="say \\"hi\\", a\\\\b\\nc"} NaN
                weird_total{le="+Inf"} +Inf 1712345678000

                """);

        assertThat(text.samples()).hasSize(6);
        assertThat(text.sum("dtx_messages_seconds_count").getAsDouble()).isEqualTo(25);
        assertThat(text.sum("dtx_messages_seconds_count", l -> l.get("kind").equals("prepare")).getAsDouble()).isEqualTo(22);
        assertThat(text.sumBy("dtx_messages_seconds_count", "kind")).containsExactly(Map.entry("paxos-accept", 3.0),
                Map.entry("prepare", 22.0));
        assertThat(text.sum("nothing")).isEmpty();
        assertThat(text.samples().get(4).labels()).containsEntry("detail", "say \"hi\", a\\b\nc");
        assertThat(text.samples().get(4).value()).isNaN();
        assertThat(text.samples().get(5).value()).isInfinite();
        assertThat(ClusterProbe.cpuSeconds(text).getAsDouble()).isEqualTo(2.5);
        assertThat(ClusterProbe.cpuSeconds(PrometheusText.parse("process_cpu_time_seconds_total 4.25\n")).getAsDouble())
                .isEqualTo(4.25);
        assertThatThrownBy(() -> PrometheusText.parse("broken{kind=\"x\" 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrometheusText.parse("no_value")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void targetsPutEveryNodeOnItsPortOnTheGivenHost() {
        Targets targets = Targets.of(io.dtxlab.core.cluster.Topology.of(4, 100), "http://10.0.0.5/", "secret");

        assertThat(targets.url("order")).isEqualTo("http://10.0.0.5:8181");
        assertThat(targets.url("coordinator-3")).isEqualTo("http://10.0.0.5:8193");
        assertThat(targets.replicas()).containsExactly("replica-1", "replica-2", "replica-3", "replica-4");
        assertThat(targets.coordinators()).hasSize(3);
        assertThat(targets.toString()).doesNotContain("secret");
        assertThatThrownBy(() -> Targets.of(io.dtxlab.core.cluster.Topology.defaults(), "http://h:80", "t"))
                .hasMessageContaining("without port");
    }
}
