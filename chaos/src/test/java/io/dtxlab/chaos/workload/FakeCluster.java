package io.dtxlab.chaos.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.Targets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A cluster of canned answers: one JDK HTTP server, each node a path prefix of it ({@code http://127.0.0.1:port/order}),
 * routes by method and path (the query is the route's to read). Records every request. Unrouted requests get a 404
 * problem whose title says so.
 */
final class FakeCluster implements AutoCloseable {

    /** A request as the server saw it; {@code path} without the node's prefix and without the query. */
    record Request(String node, String method, String path, String query, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
        }
    }

    /** An answer: status and body (JSON, or as it is when a string). */
    record Reply(int status, Object body) {

        static Reply json(int status, Object body) {
            return new Reply(status, body);
        }

        static Reply problem(int status, String type, Map<String, Object> members) {
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("type", type);
            problem.put("title", "canned");
            problem.put("status", status);
            problem.put("detail", "canned " + type);
            problem.put("instance", "/somewhere");
            problem.putAll(members);
            return new Reply(status, problem);
        }
    }

    interface Route {
        Reply answer(Request request) throws Exception;
    }

    static {
        // answers go out at once, not after the client's delayed ACK (about 40 ms a request on Linux)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> urls = new LinkedHashMap<>();

    FakeCluster(String... nodes) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
        for (String node : nodes) {
            urls.put(node, "http://127.0.0.1:" + server.getAddress().getPort() + "/" + node);
        }
    }

    /** Answers {@code method node path} with {@code route}, replacing any route before. */
    FakeCluster on(String node, String method, String path, Route route) {
        routes.put(method + " /" + node + path, route);
        return this;
    }

    /** Answers {@code method node path} always the same. */
    FakeCluster on(String node, String method, String path, Reply reply) {
        return on(node, method, path, request -> reply);
    }

    /** The nodes, and a node id that is not in the cluster mapped to a port nothing listens on. */
    Targets targets(String... refusing) {
        Map<String, String> all = new LinkedHashMap<>(urls);
        for (String node : refusing) {
            all.put(node, "http://127.0.0.1:" + closedPort() + "/" + node);
        }
        return new Targets(all, "admin-token");
    }

    static Http http(Duration timeout) {
        return new Http(timeout, "admin-token");
    }

    /** Every request to {@code node} with {@code method} and {@code path}, oldest first. */
    List<Request> requests(String node, String method, String path) {
        List<Request> found = new ArrayList<>();
        requests.forEach(r -> {
            if (r.node().equals(node) && r.method().equals(method) && r.path().equals(path)) {
                found.add(r);
            }
        });
        return found;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String full = exchange.getRequestURI().getPath();
        int slash = full.indexOf('/', 1);
        String node = slash < 0 ? full.substring(1) : full.substring(1, slash);
        String path = slash < 0 ? "" : full.substring(slash);
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, v.get(0)));
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Request request = new Request(node, exchange.getRequestMethod(), path, exchange.getRequestURI().getQuery(),
                headers, body);
        requests.add(request);
        Route route = routes.get(request.method() + " " + full);
        Reply reply;
        try {
            reply = route == null ? Reply.problem(404, "urn:test:no-route", Map.of("route", request.method() + " "
                    + full)) : route.answer(request);
        } catch (Exception e) {
            reply = Reply.problem(500, "urn:test:route-failed", Map.of("error", e.toString()));
        }
        byte[] bytes = text(reply.body()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String text(Object body) {
        if (body == null) {
            return "";
        }
        if (body instanceof String s) {
            return s;
        }
        try {
            return Http.json().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
