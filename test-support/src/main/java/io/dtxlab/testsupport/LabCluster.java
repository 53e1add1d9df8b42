package io.dtxlab.testsupport;

import io.dtxlab.platform.fault.CrashHandler;
import io.dtxlab.platform.fault.NodeCrashedException;
import io.dtxlab.platform.fault.PartitionTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClientException;

/**
 * Any set of lab nodes in this JVM, each its own Spring Boot application with its own data directory and
 * port (see {@link NodePorts}), wired to each other and to one embedded KRaft broker.
 *
 * <pre>{@code
 * try (LabCluster cluster = LabCluster.builder()
 *         .node("inventory", InventoryApplication.class)
 *         .node("payment", PaymentApplication.class)
 *         .start()) {
 *     cluster.crash("inventory");   // abrupt: only what reached its files survives
 *     cluster.restart("inventory"); // same port, same files, next incarnation
 * }
 * }</pre>
 */
public final class LabCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LabCluster.class);

    private final Map<String, LabNode> nodes;
    private final Path root;
    private final boolean deleteOnClose;

    private LabCluster(Map<String, LabNode> nodes, Path root, boolean deleteOnClose) {
        this.nodes = nodes;
        this.root = root;
        this.deleteOnClose = deleteOnClose;
    }

    public static Builder builder() {
        return new Builder();
    }

    public LabNode node(String id) {
        LabNode node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no node '" + id + "' in this cluster; nodes are " + nodes.keySet());
        }
        return node;
    }

    public Collection<LabNode> nodes() {
        return nodes.values();
    }

    /** The directory under which every node keeps its files. */
    public Path root() {
        return root;
    }

    /** Starts a node that is not running, on its port and data directory. */
    public LabNode start(String id) {
        LabNode node = node(id);
        if (node.isRunning()) {
            throw new IllegalStateException(id + " is already running");
        }
        node.stopping().join(); // a crashed context must release its port first
        long begin = System.nanoTime();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(node.application())
                .main(node.application())
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("crashHandler",
                        (CrashHandler) (point, scope) -> crashFromFaultPoint(id, point)))
                .run(node.arguments().toArray(String[]::new));
        node.started(context);
        log.info("harness: {} up on port {} in {} ms", id, node.port(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
        return node;
    }

    /**
     * Crashes a node: it is cut off from every other node and its database is shut down at once without a
     * checkpoint (H2 {@code SHUTDOWN IMMEDIATELY}), so nothing more leaves it, reaches it or reaches its files, and
     * then its context is dropped. Returns when the node is gone and its port is free.
     */
    public void crash(String id) {
        crashAsync(id).join();
    }

    /**
     * Runs {@code trigger} (a request that makes the node crash, e.g. through an armed CRASH fault) and waits
     * until the node is down. A crashing node may cut the connection instead of answering, before or in the middle
     * of its answer (an answer written from another thread than the request's): that is expected.
     */
    public void awaitCrash(String id, Runnable trigger) {
        try {
            trigger.run();
        } catch (RestClientException e) {
            log.debug("harness: {} cut the connection as it crashed: {}", id, e.getMessage());
        }
        Awaitility.await("crash of " + id).atMost(Duration.ofSeconds(60)).until(() -> !node(id).isRunning());
        node(id).stopping().join();
    }

    /** Stops a node gracefully (as SIGTERM would). */
    public void stop(String id) {
        LabNode node = node(id);
        ConfigurableApplicationContext context = node.context();
        if (context != null) {
            node.stopping(CompletableFuture.completedFuture(null));
            context.close();
        }
    }

    /** Restarts a node from its files: crashes it first if it is still running. */
    public LabNode restart(String id) {
        if (node(id).isRunning()) {
            crash(id);
        }
        return start(id);
    }

    /** Cuts {@code node} off from {@code others} in both directions: neither side's messages get through. */
    public void partition(String node, String... others) {
        for (String other : others) {
            cut(node, other);
            cut(other, node);
        }
    }

    /** Heals every partition on every running node. */
    public void heal() {
        nodes.values().stream().filter(LabNode::isRunning).forEach(n -> n.bean(PartitionTable.class).heal());
    }

    @Override
    public void close() {
        for (LabNode node : nodes.values()) {
            try {
                stop(node.id());
                node.stopping().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("harness: stopping {} failed: {}", node.id(), e.toString());
            }
        }
        if (deleteOnClose) {
            try {
                FileSystemUtils.deleteRecursively(root);
            } catch (IOException e) {
                log.warn("harness: could not delete {}: {}", root, e.toString());
            }
        }
    }

    private void cut(String node, String other) {
        PartitionTable table = node(node).bean(PartitionTable.class);
        Set<String> cut = new HashSet<>(table.cutOff());
        cut.add(other);
        table.cutOffFrom(cut);
    }

    private CompletableFuture<Void> crashAsync(String id) {
        LabNode node = node(id);
        ConfigurableApplicationContext context = node.context();
        if (context == null) {
            return node.stopping();
        }
        cutOffNetwork(id, context);
        cutOffStorage(id, context);
        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                context.close();
            } catch (RuntimeException e) {
                log.debug("harness: {} crashed noisily: {}", id, e.toString());
            }
        });
        node.stopping(stop);
        log.warn("harness: {} CRASHED", id);
        return stop;
    }

    private void crashFromFaultPoint(String id, String point) {
        crashAsync(id); // the context closes on another thread; this one must not go on
        throw new NodeCrashedException(point);
    }

    /**
     * A crashed process neither sends nor answers: the node is cut off from every other node at once, since closing
     * its context takes a while (seconds on a busy machine), and meanwhile it would still answer, say, a participant
     * asking for a decision it logged just before the crash.
     */
    private void cutOffNetwork(String id, ConfigurableApplicationContext context) {
        Set<String> others = new HashSet<>(nodes.keySet());
        others.remove(id);
        try {
            context.getBean(PartitionTable.class).cutOffFrom(others);
        } catch (RuntimeException e) {
            log.debug("harness: {} could not be cut off as it crashed: {}", id, e.toString());
        }
    }

    private static void cutOffStorage(String id, ConfigurableApplicationContext context) {
        try (Connection connection = context.getBean(DataSource.class).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException e) {
            log.debug("harness: {} database closed: {}", id, e.getMessage()); // the shutdown kills our own connection too
        }
    }

    /** Declares the nodes, then starts them. */
    public static final class Builder {

        private final Map<String, Class<?>> applications = new LinkedHashMap<>();
        private final Map<String, Map<String, String>> extra = new LinkedHashMap<>();
        private final Map<String, String> everywhere = new LinkedHashMap<>();
        private Path root;
        private boolean kafka = true;

        private Builder() {
        }

        /** Adds a node with this id, run by this service's application class. */
        public Builder node(String id, Class<?> application) {
            applications.put(id, application);
            return this;
        }

        /** Sets a property on one node. */
        public Builder property(String id, String name, String value) {
            extra.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(name, value);
            return this;
        }

        /** Sets a property on every node. */
        public Builder property(String name, String value) {
            everywhere.put(name, value);
            return this;
        }

        /** Keeps the nodes' files under {@code root} (and leaves them there) instead of a temporary directory. */
        public Builder dataRoot(Path root) {
            this.root = root;
            return this;
        }

        /** Starts the nodes without a Kafka broker; they still run, their events are not published. */
        public Builder withoutKafka() {
            this.kafka = false;
            return this;
        }

        public LabCluster build() {
            boolean temporary = root == null;
            Path dir = root;
            try {
                dir = temporary ? Files.createTempDirectory("dtx-lab-") : Files.createDirectories(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            applications.keySet().forEach(id -> ports.put(id, NodePorts.next()));
            String members = ports.entrySet().stream()
                    .map(e -> e.getKey() + "@http://localhost:" + e.getValue())
                    .collect(Collectors.joining(","));
            String bootstrap = kafka ? SharedKafka.bootstrapServers() : "localhost:1";
            Map<String, LabNode> nodes = new LinkedHashMap<>();
            for (var entry : applications.entrySet()) {
                String id = entry.getKey();
                Path dataDir = dir.resolve(id);
                Map<String, String> props = new LinkedHashMap<>();
                props.put("dtx.node.id", id);
                props.put("server.port", String.valueOf(ports.get(id)));
                props.put("dtx.data-dir", dataDir.toString());
                props.put("dtx.cluster.members", members);
                props.put("dtx.security.cluster-token", TestTokens.CLUSTER);
                props.put("dtx.security.admin-token", TestTokens.ADMIN);
                props.put("spring.kafka.bootstrap-servers", bootstrap);
                props.put("server.shutdown", "immediate");
                // test clusters stop often, and a stopping consumer waits for the fetch the broker holds
                props.put("spring.kafka.consumer.fetch-max-wait", "500ms");
                props.put("spring.jmx.enabled", "false");
                // test nodes start often and few read their OpenAPI document: build it on the first request, not at
                // every start (the service tests turn it back on and read it)
                props.put("springdoc.pre-loading-enabled", "false");
                props.putAll(everywhere);
                props.putAll(extra.getOrDefault(id, Map.of()));
                nodes.put(id, new LabNode(id, entry.getValue(), ports.get(id), dataDir, props));
            }
            return new LabCluster(nodes, dir, temporary);
        }

        /** Builds the cluster and starts every node. */
        public LabCluster start() {
            LabCluster cluster = build();
            try {
                for (String id : List.copyOf(cluster.nodes.keySet())) {
                    cluster.start(id);
                }
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }
}
