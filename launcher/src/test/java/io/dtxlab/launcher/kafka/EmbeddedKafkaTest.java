package io.dtxlab.launcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {

    @TempDir
    Path dir;

    @Test
    void theBrokerIsSingleNodeKraftOnTheTopologysPorts() {
        Properties config = EmbeddedKafka.config(dir.resolve("kafka"), 29092, 29093);

        assertThat(config.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(config.getProperty("controller.quorum.voters")).isEqualTo("1@localhost:29093");
        assertThat(config.getProperty("listeners")).isEqualTo("PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093");
        assertThat(config.getProperty("log.dirs")).isEqualTo(dir.resolve("kafka").toString());
        assertThat(config.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
    }

    @Test
    void aLogDirCountsAsFormattedOnceItHasMetaProperties() throws Exception {
        assertThat(EmbeddedKafka.isFormatted(dir)).isFalse();
        Files.writeString(dir.resolve("meta.properties"), "node.id=1\n");
        assertThat(EmbeddedKafka.isFormatted(dir)).isTrue();
    }
}
