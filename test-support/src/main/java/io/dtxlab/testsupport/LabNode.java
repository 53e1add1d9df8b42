package io.dtxlab.testsupport;

import io.dtxlab.platform.security.TokenHeaders;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * One node of a {@link LabCluster}: a Spring application context on a fixed port and data directory,
 * which may be running, crashed or stopped.
 */
public final class LabNode {

    private final String id;
    private final Class<?> application;
    private final int port;
    private final Path dataDir;
    private final Map<String, String> properties;
    private volatile ConfigurableApplicationContext context;
    private volatile CompletableFuture<Void> stopping = CompletableFuture.completedFuture(null);

    LabNode(String id, Class<?> application, int port, Path dataDir, Map<String, String> properties) {
        this.id = id;
        this.application = application;
        this.port = port;
        this.dataDir = dataDir;
        this.properties = properties;
    }

    public String id() {
        return id;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String baseUrl() {
        return "http://localhost:" + port;
    }

    public boolean isRunning() {
        ConfigurableApplicationContext ctx = context;
        return ctx != null && ctx.isActive();
    }

    /** A bean of the running node, e.g. its {@code FaultInjector}. */
    public <T> T bean(Class<T> type) {
        ConfigurableApplicationContext ctx = context;
        if (ctx == null) {
            throw new IllegalStateException(id + " is not running");
        }
        return ctx.getBean(type);
    }

    /** An HTTP client for this node's business endpoints; it never throws on an error status. */
    public RestClient http() {
        return client(Map.of());
    }

    /** An HTTP client that sends the admin token. */
    public RestClient admin() {
        return client(Map.of(TokenHeaders.ADMIN_TOKEN, TestTokens.ADMIN));
    }

    /** An HTTP client that sends the cluster token, as another node would. */
    public RestClient internal() {
        return client(Map.of(TokenHeaders.CLUSTER_TOKEN, TestTokens.CLUSTER));
    }

    private RestClient client(Map<String, String> headers) {
        // The JDK client never retries by itself: a test must see exactly what the node answered.
        return RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory())
                .baseUrl(baseUrl())
                .defaultHeaders(h -> headers.forEach(h::add))
                .defaultHeader(HttpHeaders.ACCEPT, "application/json, application/problem+json, */*")
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    Class<?> application() {
        return application;
    }

    List<String> arguments() {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    void started(ConfigurableApplicationContext context) {
        this.context = context;
    }

    void stopping(CompletableFuture<Void> stop) {
        this.context = null;
        this.stopping = stop;
    }

    CompletableFuture<Void> stopping() {
        return stopping;
    }
}
