package io.dtxlab.platform.node;

import io.dtxlab.core.cluster.ClusterNode;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.core.cluster.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;

/**
 * Adds the platform's shared defaults and what follows from the service's role and the node's id:
 * default id and port, the service's migrations, the data directory and the H2 URL. Every service is
 * thus configured by the same few properties.
 */
public class NodeEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String DEFAULTS = "dtx-platform-defaults";
    static final String DERIVED = "dtx-node-derived";
    static final String TRACING_ENABLED = "dtx.tracing.enabled";
    private static final List<String> TRACING = List.of(
            "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.brave.autoconfigure.zipkin.ZipkinWithBraveTracingAutoConfiguration",
            "org.springframework.boot.zipkin.autoconfigure.ZipkinAutoConfiguration");
    private static final String EXEMPLARS =
            "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> defaults = loadDefaults();
        NodeRole role = roleOf(application);
        if (role != null) {
            ClusterNode first = Topology.defaults().withRole(role).get(0);
            defaults.put("dtx.node.role", role.name());
            defaults.put("dtx.node.id", first.id());
            defaults.put("server.port", String.valueOf(first.port()));
            defaults.put("spring.flyway.locations", "classpath:db/migration/platform,classpath:db/migration/"
                    + role.name().toLowerCase(Locale.ROOT));
            readinessOf(role).ifPresent(members -> defaults.put("management.endpoint.health.group.readiness.include",
                    members));
        }
        defaults.put("dtx.cluster.members", Topology.defaults().members("localhost"));
        tracing(environment, defaults);
        environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS, defaults));

        String nodeId = environment.getProperty("dtx.node.id");
        if (nodeId == null || nodeId.isBlank()) {
            return; // validation of LabProperties reports the missing id with a clear message
        }
        Path dataDir = Path.of(environment.getProperty("dtx.data-dir", "./data/" + nodeId)).toAbsolutePath().normalize();
        // The absolute data directory replaces whatever relative form was given.
        environment.getPropertySources().addFirst(new MapPropertySource(DERIVED, Map.of("dtx.data-dir", dataDir.toString())));
        // WRITE_DELAY=0: a commit reaches the OS before the statement returns, so an acknowledged write survives
        // a process crash (kill -9, Runtime.halt). H2 does not fsync per commit: a power loss may lose the last
        // commits. DB_CLOSE_ON_EXIT=FALSE lets Spring close the pool before H2 closes the files.
        String url = "jdbc:h2:file:" + dataDir.resolve("db").resolve(nodeId) + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"
                // a hot row (one SKU, many concurrent prepares) queues for its lock instead of failing after 1 s
                + ";LOCK_TIMEOUT=10000";
        // Just above the defaults, so an explicitly set datasource URL still wins.
        environment.getPropertySources().addBefore(DEFAULTS,
                new MapPropertySource(DERIVED + "-datasource", Map.of("spring.datasource.url", url)));
    }

    /**
     * Tracing (io.dtxlab.platform.tracing) is on only with {@code dtx.tracing.enabled=true}. Off, Micrometer
     * Tracing's auto-configuration is left out entirely: with a tracer at sampling 0, every request would still
     * parse trace headers, make (unsampled) spans and fill the log context. Prometheus exemplars are left out
     * either way: they would look up the current span on every timer recording.
     */
    static void tracing(ConfigurableEnvironment environment, Map<String, Object> defaults) {
        boolean on = Boolean.parseBoolean(environment.getProperty(TRACING_ENABLED, "false"));
        defaults.put("spring.autoconfigure.exclude", on ? EXEMPLARS : String.join(",", TRACING) + "," + EXEMPLARS);
        if (on) {
            defaults.put("management.tracing.sampling.probability", "1.0");
            // Kafka records carry the trace, and a listener continues it
            defaults.put("spring.kafka.template.observation-enabled", "true");
            defaults.put("spring.kafka.listener.observation-enabled", "true");
            defaults.put("logging.pattern.correlation",
                    "%replace(%replace([%X{node:-${dtx.node.id}} %X{scope:-} %X{traceId:-}]){'  +', ' '}){' \\]', ']'} ");
        }
    }

    /** The health components a node of {@code role} must have UP to be ready, beside Spring's readinessState. */
    static Optional<String> readinessOf(NodeRole role) {
        return switch (role) {
            case COORDINATOR -> Optional.of("readinessState,consensus");
            case REPLICA -> Optional.of("readinessState,replication,kafka");
            default -> Optional.empty();
        };
    }

    private static NodeRole roleOf(SpringApplication application) {
        for (Object source : application.getAllSources()) {
            if (source instanceof Class<?> type) {
                LabService service = AnnotationUtils.findAnnotation(type, LabService.class);
                if (service != null) {
                    return service.value();
                }
            }
        }
        return null;
    }

    private static Map<String, Object> loadDefaults() {
        try {
            Map<String, Object> map = new HashMap<>();
            PropertiesLoaderUtils.loadProperties(new ClassPathResource(DEFAULTS + ".properties"))
                    .forEach((k, v) -> map.put(k.toString(), v));
            return map;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the platform defaults", e);
        }
    }
}
