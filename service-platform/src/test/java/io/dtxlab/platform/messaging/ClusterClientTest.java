package io.dtxlab.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.LabProperties;
import io.dtxlab.platform.fault.Faults;
import io.dtxlab.platform.fault.PartitionTable;
import io.dtxlab.platform.tracing.MessageTracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transport under a burst: asynchronous messages are carried by a fixed set of reused threads over kept-alive
 * connections, and every message still gets its answer, its record and its own deadline. The peer is a plain HTTP
 * server standing in for another node's endpoint (it answers after a pause, so messages overlap).
 */
class ClusterClientTest {

    private static final int SEND_THREADS = 4;

    private final Set<Integer> peerConnections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final Set<String> sendingThreads = ConcurrentHashMap.newKeySet();
    private HttpServer peer;
    private ExecutorService peerThreads;
    private MessageLog messages;
    private ClusterClient client;

    @BeforeEach
    void start() throws IOException {
        peerThreads = Executors.newFixedThreadPool(16);
        peer = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        peer.setExecutor(peerThreads);
        peer.createContext("/work", exchange -> {
            peerConnections.add(exchange.getRemoteAddress().getPort());
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                exchange.getRequestBody().readAllBytes();
                long pauseMs = Long.parseLong(exchange.getRequestURI().getQuery().replace("pause=", ""));
                Thread.sleep(pauseMs); // the peer's work: keeps messages in flight together
                byte[] body = "{\"done\":true}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException | IOException e) {
                exchange.sendResponseHeaders(500, -1);
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        peer.start();
        messages = new MessageLog();
        messages.subscribe(m -> sendingThreads.add(Thread.currentThread().getName()));
        LabProperties properties = new LabProperties(new LabProperties.Node("order", NodeRole.ORDER), null,
                new LabProperties.Cluster("order@http://localhost:1,peer@http://localhost:" + peer.getAddress().getPort()),
                new LabProperties.Security("cluster-token", "admin-token"),
                new LabProperties.Client(Duration.ofSeconds(1), Duration.ofSeconds(5), 200, SEND_THREADS, true),
                new LabProperties.Datagrams(true));
        client = new ClusterClient(properties, Faults.none(), new PartitionTable(), messages, new SimpleMeterRegistry(),
                RestClient.builder(), MessageTracing.OFF, JsonMapper.builder().build());
    }

    @AfterEach
    void stop() throws IOException {
        client.destroy();
        peer.stop(0);
        peerThreads.shutdownNow();
    }

    @Test
    void aBurstIsCarriedByTheFixedSendThreadsOverReusedConnections() {
        int burst = 60;
        List<CompletableFuture<Map>> answers = IntStream.range(0, burst)
                .mapToObj(i -> client.postAsync("peer", "work", "burst", "/work?pause=20", Map.of("i", i), Map.class,
                        Duration.ofSeconds(5)))
                .toList();

        answers.forEach(answer -> assertThat(answer.join()).containsEntry("done", true));
        List<MessageRecord> sent = messages.recent("burst", 1000);
        assertThat(sent).hasSize(burst).allMatch(m -> m.outcome() == MessageOutcome.DELIVERED && m.status() == 200);
        // never more threads than configured (plus the caller, which sends itself when all are busy)
        assertThat(client.sendThreads()).isLessThanOrEqualTo(SEND_THREADS);
        assertThat(sendingThreads.stream().filter(name -> name.startsWith("dtx-send-order-")))
                .hasSizeLessThanOrEqualTo(SEND_THREADS);
        assertThat(mostInFlight.get()).isLessThanOrEqualTo(SEND_THREADS + 1);
        // kept alive: one connection per concurrent sender at most, not one per message
        assertThat(peerConnections).hasSizeLessThanOrEqualTo(SEND_THREADS + 1);

        // a second burst reuses the same threads and connections
        IntStream.range(0, burst).mapToObj(i -> client.postAsync("peer", "work", "again", "/work?pause=1", Map.of(),
                Map.class, Duration.ofSeconds(5))).toList().forEach(CompletableFuture::join);
        assertThat(sendingThreads.stream().filter(name -> name.startsWith("dtx-send-order-")))
                .hasSizeLessThanOrEqualTo(SEND_THREADS);
        assertThat(peerConnections).hasSizeLessThanOrEqualTo(SEND_THREADS + 1);
    }

    @Test
    void eachAsyncMessageKeepsItsOwnDeadline() {
        CompletableFuture<Map> slow = client.postAsync("peer", "work", "slow", "/work?pause=2000", Map.of(), Map.class,
                Duration.ofMillis(200));
        CompletableFuture<Map> quick = client.postAsync("peer", "work", "quick", "/work?pause=1", Map.of(), Map.class,
                Duration.ofSeconds(5));

        assertThat(quick.join()).containsEntry("done", true);
        assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ClusterCallException.class);
        assertThat(messages.recent("slow", 10)).extracting(MessageRecord::outcome).containsExactly(MessageOutcome.TIMEOUT);
        assertThat(messages.recent("quick", 10)).extracting(MessageRecord::outcome).containsExactly(MessageOutcome.DELIVERED);
    }

    @Test
    void aPartitionedPeerIsRefusedWithoutAThreadOrAConnection() throws IOException {
        PartitionTable partitions = new PartitionTable();
        partitions.cutOffFrom(List.of("peer"));
        ClusterClient cutOff = new ClusterClient(new LabProperties(new LabProperties.Node("order", NodeRole.ORDER), null,
                new LabProperties.Cluster("peer@http://localhost:" + peer.getAddress().getPort()),
                new LabProperties.Security("cluster-token", "admin-token"),
                new LabProperties.Client(Duration.ofSeconds(1), Duration.ofSeconds(5), 200, SEND_THREADS, true),
                new LabProperties.Datagrams(true)),
                Faults.none(), partitions, messages, new SimpleMeterRegistry(), RestClient.builder(),
                MessageTracing.OFF, JsonMapper.builder().build());
        try {
            assertThatThrownBy(() -> cutOff.postAsync("peer", "work", "cut", "/work?pause=1", Map.of(), Map.class,
                    Duration.ofSeconds(1)).join()).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(ClusterCallException.class);
            assertThat(messages.recent("cut", 10)).extracting(MessageRecord::outcome)
                    .containsExactly(MessageOutcome.PARTITIONED);
            assertThat(peerConnections).isEmpty();
        } finally {
            cutOff.destroy();
        }
    }
}
