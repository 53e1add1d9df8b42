package io.dtxlab.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.LabProperties;
import io.dtxlab.platform.fault.FaultAction;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.fault.Faults;
import io.dtxlab.platform.fault.PartitionTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two nodes' datagram transports on loopback: a datagram arrives with its sender and body, and every guarantee of the
 * cluster client holds for it: a partition refuses it at either end, a wrong token is dropped and counted, the fault
 * point {@code send:<kind>} drops it, and a body too large for one datagram is refused so the caller uses HTTP.
 */
class PeerDatagramsTest {

    /** A heartbeat-like body; {@code note} must not be blank (checked on receipt as a request body would be). */
    record Beat(@NotBlank String note, long n) {
    }

    /** What a handler got: the sender and the body. */
    record Got(String from, Beat beat) {
    }

    private final List<Node> nodes = new ArrayList<>();
    private int portA;
    private int portB;

    /** One node: its transport, its fault injector, partitions, message log, meters and what its handler got. */
    private record Node(PeerDatagrams datagrams, FaultInjector faults, PartitionTable partitions, MessageLog messages,
            MeterRegistry meters, List<Got> got) {
    }

    @BeforeEach
    void ports() throws IOException {
        portA = freeUdpPort();
        portB = freeUdpPort();
    }

    @AfterEach
    void close() {
        nodes.forEach(n -> n.datagrams().destroy());
    }

    @Test
    void aDatagramArrivesWithItsSenderAndBodyAndIsRecordedAndCounted() {
        Node a = node("a", portA, "cluster-token", true);
        Node b = node("b", portB, "cluster-token", true);

        assertThat(a.datagrams().send("b", "beat", "k-1", new Beat("hello", 1))).isTrue();
        assertThat(b.datagrams().send("a", "beat", null, new Beat("back", 2))).isTrue();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(b.got()).containsExactly(new Got("a", new Beat("hello", 1)));
            assertThat(a.got()).containsExactly(new Got("b", new Beat("back", 2)));
        });
        assertThat(a.messages().recent("k-1", 10)).singleElement().satisfies(m -> {
            assertThat(m.from()).isEqualTo("a");
            assertThat(m.to()).isEqualTo("b");
            assertThat(m.kind()).isEqualTo("beat");
            assertThat(m.outcome()).isEqualTo(MessageOutcome.SENT);
        });
        assertThat(count(a, "beat", "sent", "none")).isEqualTo(1);
        assertThat(count(b, "beat", "received", "none")).isEqualTo(1);
        assertThat(a.meters().find("dtx.messages").timers()).as("not an HTTP exchange").isEmpty();
    }

    @Test
    void aPartitionRefusesDatagramsAtBothEnds() {
        Node a = node("a", portA, "cluster-token", true);
        Node b = node("b", portB, "cluster-token", true);

        // the sender knows of the cut: nothing leaves
        a.partitions().cutOffFrom(List.of("b"));
        assertThat(a.datagrams().send("b", "beat", "cut", new Beat("lost", 1))).isTrue();
        assertThat(a.messages().recent("cut", 10)).extracting(MessageRecord::outcome)
                .containsExactly(MessageOutcome.PARTITIONED);
        assertThat(count(a, "beat", "refused", "PARTITIONED")).isEqualTo(1);
        a.partitions().heal();

        // only the receiver knows of the cut: it drops what arrives
        b.partitions().cutOffFrom(List.of("a"));
        assertThat(a.datagrams().send("b", "beat", null, new Beat("dropped on arrival", 2))).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count(b, "beat", "refused", "PARTITIONED")).isEqualTo(1));
        // and what it would send there does not leave either
        assertThat(b.datagrams().send("a", "beat", null, new Beat("answer", 3))).isTrue();
        assertThat(count(b, "beat", "refused", "PARTITIONED")).isEqualTo(2);

        b.partitions().heal();
        assertThat(a.datagrams().send("b", "beat", null, new Beat("healed", 4))).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(b.got()).isNotEmpty());
        assertThat(b.got()).containsExactly(new Got("a", new Beat("healed", 4)));
        assertThat(a.got()).isEmpty();
    }

    @Test
    void aDatagramWithAnotherTokenIsDroppedAndCounted() {
        Node intruder = node("a", portA, "not-the-token", true);
        Node b = node("b", portB, "cluster-token", true);

        assertThat(intruder.datagrams().send("b", "beat", null, new Beat("let me in", 1))).isTrue();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count(b, "unknown", "refused", "BAD_TOKEN")).isEqualTo(1));
        assertThat(b.got()).isEmpty();
        assertThat(b.meters().find("dtx.datagrams").tag("kind", "beat").counters()).as("its kind is not trusted")
                .isEmpty();
    }

    @Test
    void theFaultPointSendKindDropsADatagramBeforeItLeaves() {
        Node a = node("a", portA, "cluster-token", true);
        Node b = node("b", portB, "cluster-token", true);
        a.faults().arm("send:beat", FaultAction.DROP, null, null, "b", 1);

        assertThat(a.datagrams().send("b", "beat", "first", new Beat("dropped", 1))).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(a.messages().recent("first", 10))
                .extracting(MessageRecord::outcome).containsExactly(MessageOutcome.DROPPED));
        assertThat(a.datagrams().send("b", "beat", "second", new Beat("delivered", 2))).isTrue();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(b.got()).containsExactly(new Got("a", new Beat("delivered", 2))));
        assertThat(count(a, "beat", "refused", "DROPPED")).isEqualTo(1);
    }

    @Test
    void aBodyTooLargeForOneDatagramIsRefusedSoTheCallerUsesHttp() {
        Node a = node("a", portA, "cluster-token", true);
        node("b", portB, "cluster-token", true);

        assertThat(a.datagrams().send("b", "beat", "big", new Beat("x".repeat(PeerDatagrams.MAX_BYTES), 1))).isFalse();
        assertThat(a.messages().recent("big", 10)).as("nothing sent, nothing recorded").isEmpty();
        assertThatThrownBy(() -> a.datagrams().send("nobody", "beat", null, new Beat("?", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown node 'nobody'");
    }

    @Test
    void anInvalidBodyIsRefusedOnArrivalAndDatagramsSwitchedOffSendNothing() {
        Node a = node("a", portA, "cluster-token", false);
        Node b = node("b", portB, "cluster-token", true);

        assertThat(a.datagrams().available()).isFalse();
        assertThat(a.datagrams().send("b", "beat", null, new Beat("hello", 1))).as("the caller sends over HTTP").isFalse();

        assertThat(b.datagrams().send("a", "beat", null, new Beat("", 1))).isTrue();
        assertThat(b.datagrams().send("b", "beat", null, new Beat(" ", 2))).as("to itself").isTrue();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count(b, "beat", "refused", "INVALID")).isEqualTo(1));
        assertThat(b.got()).isEmpty();
    }

    /** A codec for beats: the note as a string, then n; notes that start with "json" it will not carry. */
    private static final PeerDatagrams.Codec<Beat> BEAT_CODEC = new PeerDatagrams.Codec<>() {
        @Override
        public void write(Beat beat, ByteBuffer out) {
            if (beat.note().startsWith("json")) {
                throw new IllegalArgumentException("not mine");
            }
            PeerDatagrams.putString(out, beat.note());
            out.putLong(beat.n());
        }

        @Override
        public Beat read(ByteBuffer in) {
            String note = PeerDatagrams.getString(in);
            if (note == null || note.isBlank()) {
                throw new IllegalArgumentException("no note");
            }
            return new Beat(note, in.getLong());
        }
    };

    @Test
    void aKindWithACodecTravelsInItsBinaryFormAndWhatTheCodecRefusesGoesOverHttp() {
        Node a = node("a", portA, "cluster-token", true);
        Node b = node("b", portB, "cluster-token", true);
        List<Got> coded = new CopyOnWriteArrayList<>();
        a.datagrams().on("coded", Beat.class, BEAT_CODEC, (from, beat) -> coded.add(new Got(from, beat)));
        b.datagrams().on("coded", Beat.class, BEAT_CODEC, (from, beat) -> coded.add(new Got(from, beat)));

        assertThat(a.datagrams().send("b", "coded", null, new Beat("binary", 7))).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(coded).containsExactly(new Got("a", new Beat("binary", 7))));
        assertThat(count(b, "coded", "received", "none")).isEqualTo(1);

        assertThat(a.datagrams().send("b", "coded", "refused", new Beat("json please", 8)))
                .as("the codec does not carry it: the caller sends over HTTP").isFalse();
        assertThat(a.datagrams().send("b", "coded", null, new Beat("x".repeat(PeerDatagrams.MAX_BYTES), 9)))
                .as("too large for one datagram").isFalse();
        assertThat(a.messages().recent("refused", 10)).as("nothing sent, nothing recorded").isEmpty();
    }

    @Test
    void aBodyItsCodecCannotReadIsRefusedAsMalformed() {
        Node a = node("a", portA, "cluster-token", true);
        Node b = node("b", portB, "cluster-token", true);
        List<Got> coded = new CopyOnWriteArrayList<>();
        b.datagrams().on("coded", Beat.class, BEAT_CODEC, (from, beat) -> coded.add(new Got(from, beat)));

        // a sends "coded" as JSON (it registered no codec for it): b's codec cannot read that
        assertThat(a.datagrams().send("b", "coded", null, new Beat("as json", 1))).isTrue();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(count(b, "coded", "refused", "MALFORMED")).isEqualTo(1));
        assertThat(coded).isEmpty();
    }

    private Node node(String id, int port, String token, boolean enabled) {
        LabProperties properties = new LabProperties(new LabProperties.Node(id, NodeRole.ORDER), null,
                new LabProperties.Cluster("a@http://localhost:" + portA + ",b@http://localhost:" + portB),
                new LabProperties.Security(token, "admin-token"),
                new LabProperties.Client(Duration.ofSeconds(1), Duration.ofSeconds(5), 200, 4, true),
                new LabProperties.Datagrams(enabled));
        FaultInjector faults = Faults.none();
        PartitionTable partitions = new PartitionTable();
        MessageLog messages = new MessageLog();
        MeterRegistry meters = new SimpleMeterRegistry();
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();
        beans.addBean("validator", validator);
        PeerDatagrams datagrams = new PeerDatagrams(properties, faults, partitions, messages, meters,
                JsonMapper.builder().build(), beans.getBeanProvider(Validator.class));
        List<Got> got = new CopyOnWriteArrayList<>();
        datagrams.on("beat", Beat.class, (from, beat) -> got.add(new Got(from, beat)));
        datagrams.open(port);
        Node node = new Node(datagrams, faults, partitions, messages, meters, got);
        nodes.add(node);
        return node;
    }

    private static double count(Node node, String kind, String direction, String reason) {
        Counter counter = node.meters().find("dtx.datagrams").tag("kind", kind).tag("direction", direction)
                .tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress(0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }
}
