package io.dtxlab.platform.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * {@code kafka}: whether this node reaches the broker (a cluster description answered within {@link #TIMEOUT}).
 * UP, or {@link Readiness#NOT_READY} with the reason; details: the bootstrap servers, the cluster id and the number
 * of brokers. A node works without Kafka (it only misses its cluster events), so only the replicas, whose
 * asynchronous replication runs over Kafka, have it in their readiness group.
 * <p>
 * Cost: one Kafka admin client per node, made at the first health check (one idle network thread), and at most one
 * check every {@link #FRESH_FOR}: between checks the last answer is repeated.
 */
@Component("kafka")
class KafkaHealth implements HealthIndicator, DisposableBean {

    static final Duration TIMEOUT = Duration.ofMillis(1500);
    static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private final KafkaAdmin kafka;
    private Admin admin;
    private Health last;
    private long checkedAt;

    KafkaHealth(KafkaAdmin kafka) {
        this.kafka = kafka;
    }

    @Override
    public synchronized Health health() {
        long now = System.nanoTime();
        if (last == null || now - checkedAt > FRESH_FOR.toNanos()) {
            last = check();
            checkedAt = System.nanoTime();
        }
        return last;
    }

    private Health check() {
        Object servers = kafka.getConfigurationProperties().get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        try {
            if (admin == null) {
                Map<String, Object> config = new HashMap<>(kafka.getConfigurationProperties());
                config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
                config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
                config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "dtx-health");
                admin = Admin.create(config);
            }
            DescribeClusterResult cluster = admin.describeCluster(
                    new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()));
            String clusterId = cluster.clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            return Health.up().withDetail("bootstrapServers", String.valueOf(servers))
                    .withDetail("clusterId", clusterId).withDetail("brokers", brokers).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(servers, "interrupted");
        } catch (Exception e) {
            return unreachable(servers, e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : ": " + e.getMessage()));
        }
    }

    private static Health unreachable(Object servers, String why) {
        return Health.status(Readiness.NOT_READY).withDetail("bootstrapServers", String.valueOf(servers))
                .withDetail("reason", "no answer from the broker within " + TIMEOUT.toMillis() + " ms (" + why + ")")
                .build();
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
