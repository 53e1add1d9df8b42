package io.dtxlab.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Zipkin's span intake ({@code POST /api/v2/spans}, JSON v2) and nothing else, on a free local port: what the nodes
 * report when tracing is on, for a test to read as Zipkin would show it.
 */
public final class ZipkinCollector implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<JsonNode> spans = new CopyOnWriteArrayList<>();

    private ZipkinCollector(HttpServer server) {
        this.server = server;
    }

    public static ZipkinCollector start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            ZipkinCollector collector = new ZipkinCollector(server);
            server.createContext("/api/v2/spans", exchange -> {
                try (InputStream raw = exchange.getRequestBody()) {
                    boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                    InputStream body = gzip ? new GZIPInputStream(raw) : raw;
                    JSON.readTree(body).forEach(collector.spans::add);
                    exchange.sendResponseHeaders(202, -1);
                } finally {
                    exchange.close();
                }
            });
            server.start();
            return collector;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the nodes send their spans ({@code management.tracing.export.zipkin.endpoint}). */
    public String endpoint() {
        return "http://localhost:" + server.getAddress().getPort() + "/api/v2/spans";
    }

    /** The spans of one trace ({@code traceId}: 32 hex digits), in the order they arrived. */
    public List<Span> trace(String traceId) {
        return spans.stream().filter(s -> traceId.equals(s.path("traceId").asString()))
                .map(s -> new Span(s.path("localEndpoint").path("serviceName").asString(),
                        s.has("kind") ? s.path("kind").asString() : "", s.path("name").asString()))
                .toList();
    }

    /**
     * One span as Zipkin shows it.
     *
     * @param service the node that reported it (its {@code spring.application.name}, the node id)
     * @param kind SERVER, CLIENT, PRODUCER or CONSUMER; "" for a local span
     * @param name e.g. "http put /kv/{key}"; for a Kafka record "dtx.replication-log send" (its producer) or
     *     "dtx.replication-log process" (a listener)
     */
    public record Span(String service, String kind, String name) {

        @Override
        public String toString() {
            return service + " " + kind + " " + name;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
