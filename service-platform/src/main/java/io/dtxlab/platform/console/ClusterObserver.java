package io.dtxlab.platform.console;

import io.dtxlab.core.cluster.Membership;
import io.dtxlab.platform.LabProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Reads the other nodes the way an operator with curl would: plain HTTP to the addresses of
 * {@code dtx.cluster.members}, without the cluster client. The console is an observer, not a member: its reads carry
 * no sender header, so a partition between the serving node and another does not blind it (partitions refuse messages
 * from nodes, and the console must show a partition rather than suffer it); they pass no fault point and are not in
 * the message record, whose counts the timelines and tests rely on. Nothing runs in the background: no evictor
 * thread; an idle pooled connection is checked when next leased.
 */
@Component
class ClusterObserver implements DisposableBean {

    /**
     * One node's answer.
     *
     * @param status the HTTP status, 0 when the node did not answer
     * @param body the answer's body (may be empty)
     * @param error why the node did not answer (connection refused, timed out, ...), null when it did
     */
    record Answer(int status, String body, String error) {
        boolean ok() {
            return error == null && status >= 200 && status < 300;
        }
    }

    private final String self;
    private final Membership members;
    private final CloseableHttpClient http;

    ClusterObserver(LabProperties lab, ConsoleProperties console) {
        this.self = lab.node().id();
        this.members = Membership.parse(lab.cluster().members());
        Timeout timeout = Timeout.of(console.readTimeout());
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(64).setMaxConnPerRoute(8)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(timeout)
                                .setSocketTimeout(timeout).setValidateAfterInactivity(TimeValue.ofMilliseconds(500))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build())
                .disableAutomaticRetries()
                .build();
    }

    /** The node serving the console. */
    String self() {
        return self;
    }

    /** Every node of the cluster, by id, with its base URL (this node included when listed). */
    Map<String, String> nodes() {
        return members.asMap();
    }

    boolean knows(String node) {
        return members.contains(node);
    }

    /** GET {@code path} on {@code node}. */
    Answer get(String node, String path) {
        return send(node, "GET", path, null, Map.of());
    }

    /** Sends one request to {@code node}; never throws for a node that does not answer ({@link Answer#error}). */
    Answer send(String node, String method, String path, String json, Map<String, String> headers) {
        return send(node, method, path, json, headers, null);
    }

    /** As {@link #send(String, String, String, String, Map)}, with its own answer deadline (null: the default). */
    Answer send(String node, String method, String path, String json, Map<String, String> headers, Duration timeout) {
        String base = members.url(node).orElseThrow(() -> new IllegalArgumentException(
                "unknown node '" + node + "'; members are " + members.asMap().keySet()));
        HttpUriRequestBase request = new HttpUriRequestBase(method, java.net.URI.create(base + path));
        request.setHeader("Accept", "application/json, application/problem+json");
        headers.forEach(request::setHeader);
        if (timeout != null) {
            request.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(timeout)).build());
        }
        if (json != null) {
            request.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        }
        try {
            return http.execute(request, response -> new Answer(response.getCode(),
                    response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8),
                    null));
        } catch (IOException e) {
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return new Answer(0, "", reason);
        }
    }

    @Override
    public void destroy() throws IOException {
        http.close();
    }
}
