package io.dtxlab.cluster.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.inventory.InventoryApplication;
import io.dtxlab.payment.PaymentApplication;
import io.dtxlab.platform.events.ClusterEventPublisher;
import io.dtxlab.testsupport.LabCluster;
import io.dtxlab.testsupport.LabClusterExtension;
import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import io.dtxlab.testsupport.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The harness crashes a node abruptly and restarts it from its files, on the same port and data directory. */
class HarnessCrashRestartTest {

    @RegisterExtension
    static final LabClusterExtension lab = LabClusterExtension.of(nodes -> nodes
            .node("inventory", InventoryApplication.class)
            .node("payment", PaymentApplication.class));

    LabCluster cluster = lab.cluster();

    @Test
    void aCrashedNodeIsUnreachableAndRestartsFromItsFilesAsTheNextIncarnation() {
        LabNode inventory = cluster.node("inventory");
        long incarnation = info(inventory).path("incarnation").asLong();

        cluster.crash("inventory");

        assertThat(inventory.isRunning()).isFalse();
        JsonNode peers = ServiceContract.json(cluster.node("payment"), "/peers");
        assertThat(peers.get(0).path("node").asString()).isEqualTo("inventory");
        assertThat(peers.get(0).path("reachable").asBoolean()).isFalse();

        cluster.start("inventory");

        assertThat(info(inventory).path("incarnation").asLong()).isEqualTo(incarnation + 1);
        assertThat(info(inventory).path("dataDir").asString()).isEqualTo(inventory.dataDir().toString());
        assertThat(ServiceContract.json(inventory, "/stock/WIDGET").path("available").asInt()).isEqualTo(100);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                ServiceContract.json(cluster.node("payment"), "/peers").get(0).path("reachable").asBoolean()).isTrue());
    }

    @Test
    void theAdminCrashEndpointStopsTheNodeAbruptly() {
        LabNode payment = cluster.node("payment");
        long incarnation = info(payment).path("incarnation").asLong();

        cluster.awaitCrash("payment", () -> payment.admin().post().uri("/admin/crash").retrieve().toBodilessEntity());

        cluster.start("payment");
        assertThat(info(payment).path("incarnation").asLong()).isEqualTo(incarnation + 1);
        assertThat(ServiceContract.json(payment, "/accounts/alice").path("balance").decimalValue())
                .isEqualByComparingTo("1000.00");
    }

    @Test
    void everyStartIsAnnouncedOnKafka() {
        cluster.restart("payment");
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(ClusterEventPublisher.TOPIC));
            long incarnation = info(cluster.node("payment")).path("incarnation").asLong();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> events.add(ServiceContract.parse(r.value())));
                assertThat(events).anySatisfy(event -> {
                    assertThat(event.path("type").asString()).isEqualTo("NODE_STARTED");
                    assertThat(event.path("node").asString()).isEqualTo("payment");
                    assertThat(event.path("incarnation").asLong()).isEqualTo(incarnation);
                });
            });
        }
    }

    private static JsonNode info(LabNode node) {
        return ServiceContract.json(node, "/actuator/info").path("node");
    }
}
