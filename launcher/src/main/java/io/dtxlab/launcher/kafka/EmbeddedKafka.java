package io.dtxlab.launcher.kafka;

import io.dtxlab.core.cluster.Topology;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/** Formats the storage once, starts the broker+controller, and shuts it down cleanly. */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaRaftServer server;

    private EmbeddedKafka(KafkaRaftServer server) {
        this.server = server;
    }

    /** Blocks until the broker is unfenced, i.e. ready for clients. */
    public static EmbeddedKafka start(Workspace workspace, Topology topology) throws IOException {
        Properties config = config(workspace.kafkaLogDir(), topology.kafkaPort(), topology.kafkaControllerPort());
        Files.createDirectories(workspace.kafkaLogDir());
        writeConfig(config, workspace.kafkaConfigFile());
        if (!isFormatted(workspace.kafkaLogDir())) {
            format(workspace.kafkaConfigFile());
        }
        MeterTicks.coalesce();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
        server.startup();
        return new EmbeddedKafka(server);
    }

    /** Single-node KRaft, as verified in RECIPES.md, plus a few settings that suit one small broker. */
    static Properties config(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        // One broker: every internal topic must make do with one replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // Consumers of a restarted node rejoin at once instead of after the default 3 s.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // The defaults of 50 partitions each cost seconds and file handles on first use, for no gain here.
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.num.partitions", "10");
        // A handful of clients; the defaults (3 network, 8 I/O threads) only contend for 2 cores. Each of these threads
        // also wakes about three times a second when idle (each wake-up costs a few hundred microseconds of CPU on a
        // small VM), so fewer threads cost less at rest; one I/O thread keeps up with the lab's events.
        p.setProperty("num.network.threads", "1");
        p.setProperty("num.io.threads", "1");
        // The group coordinator's event loop runs on 4 threads by default, each waking about four times a second when
        // idle; the lab has a handful of consumer groups, which one thread serves.
        p.setProperty("group.coordinator.threads", "1");
        // The controller appends a no-op record to the metadata log every 500 ms by default (a liveness signal for a
        // multi-node quorum), and each append is flushed to disk. One combined node needs none of that so often.
        p.setProperty("metadata.max.idle.interval.ms", "10000");
        return p;
    }

    /** Kafka writes meta.properties when it formats a log dir; its presence means "formatted". */
    static boolean isFormatted(Path logDir) {
        return Files.exists(logDir.resolve("meta.properties"));
    }

    private static void format(Path configFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        // StorageTool.execute returns an exit code instead of exiting the JVM, unlike its main().
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(new String[] {"format", "--cluster-id", Uuid.randomUuid().toString(),
                    "--config", configFile.toString(), "--ignore-formatted"}, out);
        }
        if (exit != 0) {
            throw new IllegalStateException("formatting Kafka's storage failed (exit " + exit + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static void writeConfig(Properties config, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer writer = Files.newBufferedWriter(file)) {
            config.store(writer, "single-node KRaft broker of ./dtx up (for kafka.tools.StorageTool)");
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
