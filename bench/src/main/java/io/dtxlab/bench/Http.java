package io.dtxlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bench's one HTTP client: HTTP/1.1 with keep-alive (the JDK's connection pool), a small executor of its own,
 * no retries, a timeout per request. Never throws on an error status: every answer is measured.
 */
public final class Http implements AutoCloseable {

    static final String ADMIN_TOKEN = "X-Admin-Token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status and body; status 0 means no answer at all ({@code failure} says why). */
    public record Response(int status, String body, String failure) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean timedOut() {
            return failure != null && failure.startsWith("timeout");
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body == null || body.isEmpty() ? "null" : body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (" + status + "): " + abbreviate(body), e);
            }
        }

        /** For error messages: the status and the start of the body. */
        public String describe() {
            return status == 0 ? failure : status + " " + abbreviate(body);
        }
    }

    private final ExecutorService executor;
    private final HttpClient client;
    private final Duration timeout;
    private final String adminToken;

    /**
     * @param timeout how long one request may take before it counts as failed (a client timeout)
     * @param adminToken sent on {@code admin*} calls only
     */
    public Http(Duration timeout, String adminToken) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.adminToken = adminToken;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public Response get(String url) {
        return send(request(url).GET(), false);
    }

    public Response adminGet(String url) {
        return send(request(url).GET(), true);
    }

    public Response post(String url, Object body) {
        return send(request(url).POST(body(body)).header("Content-Type", "application/json"), false);
    }

    public Response put(String url, Object body) {
        return send(request(url).PUT(body(body)).header("Content-Type", "application/json"), false);
    }

    public Response adminPost(String url, Object body) {
        return send(request(url).POST(body(body)).header("Content-Type", "application/json"), true);
    }

    public Response adminPut(String url, Object body) {
        return send(request(url).PUT(body(body)).header("Content-Type", "application/json"), true);
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Accept", "application/json, application/problem+json, text/plain, */*");
    }

    private static HttpRequest.BodyPublisher body(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Response send(HttpRequest.Builder builder, boolean admin) {
        if (admin) {
            builder.header(ADMIN_TOKEN, adminToken);
        }
        try {
            HttpResponse<String> answer = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(answer.statusCode(), answer.body(), null);
        } catch (HttpTimeoutException e) {
            return new Response(0, null, "timeout: " + e.getMessage());
        } catch (IOException e) {
            return new Response(0, null, "connection failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(0, null, "interrupted");
        }
    }

    static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        String flat = body.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
