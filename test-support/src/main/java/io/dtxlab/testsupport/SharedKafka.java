package io.dtxlab.testsupport;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** One real KRaft broker per test JVM, started on first use: starting one per test class would cost seconds each. */
public final class SharedKafka {

    private static EmbeddedKafkaKraftBroker broker;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 1);
            started.brokerProperty("auto.create.topics.enable", "true");
            started.brokerProperty("group.initial.rebalance.delay.ms", "0");
            started.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "embedded-kafka-stop"));
            broker = started;
        }
        return broker.getBrokersAsString();
    }
}
