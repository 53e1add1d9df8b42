package io.dtxlab.launcher.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Short-timeout HTTP probes. Asynchronous, so probing nine nodes takes as long as the slowest one, not
 * the sum, while they are all busy starting on two cores.
 */
public final class HealthProbe {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    public CompletableFuture<Health> health(int port) {
        return get(port, "/actuator/health")
                .thenApply(response -> response.statusCode() == 200 && "UP".equals(field(response.body(), "status"))
                        ? Health.UP : Health.DOWN)
                .exceptionally(e -> Health.UNREACHABLE);
    }

    public CompletableFuture<Optional<NodeInfo>> info(int port) {
        return get(port, "/actuator/info")
                .thenApply(response -> response.statusCode() == 200 ? parseInfo(response.body()) : Optional.<NodeInfo>empty())
                .exceptionally(e -> Optional.empty());
    }

    static Optional<NodeInfo> parseInfo(String body) {
        try {
            JsonNode node = JSON.readTree(body).path("node");
            if (node.isMissingNode()) {
                return Optional.empty();
            }
            return Optional.of(new NodeInfo(node.path("id").asText(null), node.path("role").asText(null),
                    node.path("incarnation").asLong(-1)));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String field(String body, String name) {
        try {
            return JSON.readTree(body).path(name).asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    private CompletableFuture<HttpResponse<String>> get(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }
}
