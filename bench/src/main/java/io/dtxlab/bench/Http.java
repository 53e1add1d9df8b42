package io.dtxlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpDelete;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The bench's one HTTP client: HTTP/1.1 with keep-alive, no retries, no redirects, a timeout per request. Never throws
 * on an error status: every answer is measured.
 * <p>
 * Blocking I/O on the caller's thread (Apache HttpClient's classic API over a connection pool), not the JDK's
 * {@code HttpClient}: that one hands each exchange from the caller to its selector thread and on to an executor, and a
 * thread woken costs a few hundred microseconds of CPU on a small VM. The bench runs on the same cores as the cluster
 * it measures, so what it spends is taken from the cluster: the JDK client cost the bench process about 1 ms of CPU
 * per order (0.2 of a core at 224 orders/s). A blocked request does not answer to an interrupt: {@link #close} closes
 * the connections, which ends every request still in flight.
 */
public final class Http implements AutoCloseable {

    static final String ADMIN_TOKEN = "X-Admin-Token";
    private static final String REFUSED = "connection refused";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More connections than the bench ever has requests in flight to one node. */
    private static final int MAX_CONNECTIONS = 4096;

    /** An answer: status and body; status 0 means no answer at all ({@code failure} says why). */
    public record Response(int status, String body, String failure) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean timedOut() {
            return failure != null && failure.startsWith("timeout");
        }

        /**
         * No connection could be made (refused: nothing listens on the port): the request was never sent, so it did
         * nothing. A connect timeout is {@link #timedOut()} instead, and a connection that broke after it was made is
         * neither: the request may have arrived.
         */
        public boolean refused() {
            return failure != null && failure.startsWith(REFUSED);
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

    private final CloseableHttpClient client;
    private final String adminToken;

    /**
     * @param timeout how long one request may wait for its answer (and then between two packets of it) before it
     *     counts as failed (a client timeout)
     * @param adminToken sent on {@code admin*} calls only
     */
    public Http(Duration timeout, String adminToken) {
        Timeout wait = Timeout.ofMilliseconds(Math.max(1, timeout.toMillis()));
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(MAX_CONNECTIONS).setMaxConnPerRoute(MAX_CONNECTIONS)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5))
                        .setSocketTimeout(wait).build())
                .build();
        this.client = HttpClients.custom().setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(wait)
                        .setConnectionRequestTimeout(wait).setRedirectsEnabled(false).build())
                .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement()
                .disableContentCompression().disableAuthCaching().evictIdleConnections(Timeout.ofSeconds(30))
                .build();
        this.adminToken = adminToken;
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public Response get(String url) {
        return send(new HttpGet(url), null, false);
    }

    /** A GET with extra request headers, e.g. a cluster token. */
    public Response get(String url, Map<String, String> headers) {
        return send(new HttpGet(url), null, false, headers);
    }

    public Response adminGet(String url) {
        return send(new HttpGet(url), null, true);
    }

    public Response post(String url, Object body) {
        return send(new HttpPost(url), body, false);
    }

    /** A POST with extra request headers, e.g. an {@code Idempotency-Key}. */
    public Response post(String url, Object body, Map<String, String> headers) {
        return send(new HttpPost(url), body, false, headers);
    }

    public Response put(String url, Object body) {
        return send(new HttpPut(url), body, false);
    }

    public Response adminPost(String url, Object body) {
        return send(new HttpPost(url), body, true);
    }

    public Response adminPut(String url, Object body) {
        return send(new HttpPut(url), body, true);
    }

    public Response adminDelete(String url) {
        return send(new HttpDelete(url), null, true);
    }

    private static String text(Object body) {
        try {
            return body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Response send(HttpUriRequestBase request, Object body, boolean admin) {
        return send(request, body, admin, Map.of());
    }

    private Response send(HttpUriRequestBase request, Object body, boolean admin, Map<String, String> headers) {
        request.setHeader("Accept", "application/json, application/problem+json, text/plain, */*");
        headers.forEach(request::setHeader);
        if (body != null) {
            request.setEntity(new StringEntity(text(body), ContentType.APPLICATION_JSON));
        }
        if (admin) {
            request.setHeader(ADMIN_TOKEN, adminToken);
        }
        try {
            return client.execute(request, answer -> new Response(answer.getCode(),
                    answer.getEntity() == null ? "" : EntityUtils.toString(answer.getEntity(), StandardCharsets.UTF_8),
                    null));
        } catch (InterruptedIOException e) {
            // a read, connect or pool-lease timeout (SocketTimeoutException, ConnectTimeoutException,
            // ConnectionRequestTimeoutException), unless the thread was interrupted
            if (Thread.currentThread().isInterrupted()) {
                return new Response(0, null, "interrupted");
            }
            return new Response(0, null, "timeout: " + e.getMessage());
        } catch (ConnectException e) {
            // refused at connect (HttpHostConnectException): nothing was sent; chaos runs count on telling this apart
            return new Response(0, null, REFUSED + ": " + e.getMessage());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return new Response(0, null, "interrupted");
            }
            return new Response(0, null, "connection failed: " + e);
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
        client.close(CloseMode.IMMEDIATE);
    }
}
