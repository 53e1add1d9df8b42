package io.dtxlab.platform.messaging;

import io.dtxlab.core.cluster.Membership;
import io.dtxlab.platform.LabProperties;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.fault.FaultPoint;
import io.dtxlab.platform.fault.Injected;
import io.dtxlab.platform.fault.InjectedFaultException;
import io.dtxlab.platform.fault.PartitionTable;
import io.dtxlab.platform.security.TokenHeaders;
import io.dtxlab.platform.tracing.MessageTracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one way our nodes talk to each other. Each call:
 * <ol>
 * <li>is refused at once if a partition separates this node from the peer;</li>
 * <li>passes the fault point {@code send:<kind>} (delay, error, drop or crash before the request leaves);</li>
 * <li>goes over a pooled HTTP connection with the cluster token and the headers naming sender, kind and scope, and
 * with tracing on the current trace context ({@code traceparent}, {@link MessageTracing}); or, sent with
 * {@link #postOverLink}, as one binary frame on a kept WebSocket connection to the peer ({@link PeerLinks});</li>
 * <li>passes {@code reply:<kind>} when the answer arrives (a dropped reply: the peer did the work, we never heard);</li>
 * <li>is recorded in the {@link MessageLog} and in the {@code dtx.messages} timer, whatever its outcome.</li>
 * </ol>
 * The transport never retries by itself: a protocol decides what a lost message means.
 * <p>
 * Heartbeats and their answers, tiny and loss-tolerant, may go as datagrams through {@link PeerDatagrams} instead,
 * which keeps the same partitions, fault point {@code send:<kind>}, token and record, and falls back to this client
 * when datagrams are unavailable.
 * <p>
 * A protocol phase fans out with {@link #postAsync}: every message of the phase leaves at once on its own pooled
 * connection (kept alive and reused), carried by one of a fixed set of reused send threads
 * ({@code dtx.client.send-threads}), and each carries its own answer deadline (the phase's timeout), so one slow peer
 * costs the phase that timeout and no more.
 */
@Component
public class ClusterClient implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ClusterClient.class);
    /** How long a send thread may stay idle before it ends: far longer than any pause between bursts of load. */
    private static final Duration SEND_THREAD_IDLE = Duration.ofMinutes(10);

    private final String self;
    private final Membership members;
    private final String clusterToken;
    private final FaultInjector faults;
    private final PartitionTable partitions;
    private final MessageLog messages;
    private final MeterRegistry meters;
    private final MessageTracing tracing;
    private final CloseableHttpClient http;
    private final RestClient rest;
    private final Duration defaultTimeout;
    private final ThreadPoolExecutor fanOut;
    /** The answer deadline of the call running on this thread; read when its HTTP context is made. */
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final ThreadLocal<Duration> callTimeout = new ThreadLocal<>();
    /** Null when messages go over HTTP only. */
    private final PeerLinks links;
    private final JsonMapper json;

    ClusterClient(LabProperties properties, FaultInjector faults, PartitionTable partitions, MessageLog messages,
            MeterRegistry meters, RestClient.Builder builder, MessageTracing tracing, JsonMapper json) {
        this.self = properties.node().id();
        this.members = Membership.parse(properties.cluster().members());
        this.clusterToken = properties.security().clusterToken();
        this.faults = faults;
        this.partitions = partitions;
        this.messages = messages;
        this.meters = meters;
        this.tracing = tracing;
        LabProperties.Client client = properties.client();
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(client.maxConnections())
                        .setMaxConnPerRoute(Math.max(4, client.maxConnections() / 4))
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(client.connectTimeout()))
                                .setSocketTimeout(Timeout.of(client.readTimeout()))
                                // a peer that crashed and came back leaves dead pooled connections behind
                                .setValidateAfterInactivity(TimeValue.ofMilliseconds(500))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(client.readTimeout())).build())
                .disableAutomaticRetries()
                // No idle-connection evictor thread: a connection idle for long is checked when it is next leased
                // (validateAfterInactivity above), and the peer's server closes it after its keep-alive timeout.
                .build();
        this.defaultTimeout = client.readTimeout();
        HttpComponentsClientHttpRequestFactory factory = new HttpComponentsClientHttpRequestFactory(http);
        factory.setHttpContextFactory((method, uri) -> {
            HttpClientContext context = HttpClientContext.create();
            Duration timeout = callTimeout.get();
            context.setRequestConfig(RequestConfig.custom()
                    .setResponseTimeout(Timeout.of(timeout != null ? timeout : defaultTimeout)).build());
            return context;
        });
        // no http.client.requests observation: every xid makes a new URI, and dtx.messages already counts each message
        this.rest = builder.clone().requestFactory(factory).observationRegistry(ObservationRegistry.NOOP).build();
        this.fanOut = fanOutExecutor(self, client.sendThreads());
        // with tracing on, each message stays an HTTP exchange, which the tracer makes a span of at both ends
        this.links = client.peerLinks() && tracing == MessageTracing.OFF
                ? new PeerLinks(self, clusterToken, client.connectTimeout()) : null;
        this.json = PeerFrames.json(json);
    }

    /**
     * Threads that carry asynchronous calls: at most {@code threads}, reused. A message is handed straight to an idle
     * thread, never queued behind slow ones; a new thread starts only when none is idle, and when all {@code threads}
     * are busy the caller sends the message itself, which slows the caller down instead of piling up messages. An
     * idle thread waits parked (it costs nothing) and ends only after {@link #SEND_THREAD_IDLE} without work, so a
     * node at rest keeps the one or two threads its heartbeats need and a node under load keeps what the load needs.
     */
    private static ThreadPoolExecutor fanOutExecutor(String self, int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, threads, SEND_THREAD_IDLE.toSeconds(), TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "dtx-send-" + self + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** How many threads carry asynchronous messages now (at most {@code dtx.client.send-threads}). */
    public int sendThreads() {
        return fanOut.getPoolSize();
    }

    /** This node's id. */
    public String self() {
        return self;
    }

    public Membership members() {
        return members;
    }

    /** How trace context travels with messages: {@link MessageTracing#OFF} unless tracing is on. */
    public MessageTracing tracing() {
        return tracing;
    }

    /** Sends {@code body} to {@code path} on node {@code to} and returns its answer as {@code type}. */
    public <T> T post(String to, String kind, String scope, String path, Object body, Class<T> type) {
        return call(HttpMethod.POST, to, kind, scope, path, body, type, false);
    }

    /** Asks node {@code to} for {@code path} and returns its answer as {@code type}. */
    public <T> T get(String to, String kind, String scope, String path, Class<T> type) {
        return call(HttpMethod.GET, to, kind, scope, path, null, type, false);
    }

    /** As {@link #post}, but the peer's answer must arrive within {@code timeout} or the message counts as lost. */
    public <T> T post(String to, String kind, String scope, String path, Object body, Class<T> type, Duration timeout) {
        return post(to, kind, scope, path, body, type, timeout, false);
    }

    private <T> T post(String to, String kind, String scope, String path, Object body, Class<T> type,
            Duration timeout, boolean linked) {
        Duration previous = callTimeout.get();
        callTimeout.set(timeout);
        try {
            return call(HttpMethod.POST, to, kind, scope, path, body, type, linked);
        } finally {
            callTimeout.set(previous);
        }
    }

    /** As {@link #get}, but the answer may take up to {@code timeout} (a large read, such as an audit). */
    public <T> T get(String to, String kind, String scope, String path, Class<T> type, Duration timeout) {
        Duration previous = callTimeout.get();
        callTimeout.set(timeout);
        try {
            return call(HttpMethod.GET, to, kind, scope, path, null, type, false);
        } finally {
            callTimeout.set(previous);
        }
    }

    /**
     * Sends without waiting: the message leaves at once on a pooled connection and the future completes with the
     * answer, or exceptionally with a {@link ClusterCallException} (refused, failed, timed out, unreachable,
     * partitioned, dropped). The caller's log context (node, scope) and trace context travel with the message.
     */
    public <T> CompletableFuture<T> postAsync(String to, String kind, String scope, String path, Object body,
            Class<T> type, Duration timeout) {
        return postAsync(to, kind, scope, path, body, type, timeout, false);
    }

    /**
     * As {@link #postAsync}, over a peer link ({@link PeerLinks}: one binary frame each way on a long-lived WebSocket
     * connection, none of HTTP's per-request work at either end) when links are on ({@code dtx.client.peer-links})
     * and tracing is off; else over HTTP. The peer serves {@code path} through a {@link PeerLinkRoute} and answers
     * with the status and body its HTTP handler would; partitions, fault points, the message record and metrics are
     * the same either way, and so are the outcomes: a link that breaks before the answer is CONNECTION_LOST. When no
     * link to the peer is idle, this message goes over HTTP while one opens in the background.
     */
    public <T> CompletableFuture<T> postOverLink(String to, String kind, String scope, String path, Object body,
            Class<T> type, Duration timeout) {
        return postAsync(to, kind, scope, path, body, type, timeout, links != null);
    }

    private <T> CompletableFuture<T> postAsync(String to, String kind, String scope, String path, Object body,
            Class<T> type, Duration timeout, boolean linked) {
        var context = MDC.getCopyOfContextMap();
        Object trace = tracing.capture(); // null when tracing is off
        return CompletableFuture.supplyAsync(() -> {
            var previous = MDC.getCopyOfContextMap();
            if (context != null) {
                MDC.setContextMap(context);
            }
            try {
                return trace == null ? post(to, kind, scope, path, body, type, timeout, linked)
                        : tracing.within(trace, () -> post(to, kind, scope, path, body, type, timeout, linked));
            } finally {
                if (previous != null) {
                    MDC.setContextMap(previous);
                } else {
                    MDC.clear();
                }
            }
        }, fanOut);
    }

    private <T> T call(HttpMethod method, String to, String kind, String scope, String path, Object body, Class<T> type,
            boolean linked) {
        String base = members.url(to).orElseThrow(() -> new IllegalArgumentException(
                "unknown node '" + to + "'; members are " + members.asMap().keySet()));
        long seqNo = messages.nextSeq();
        Instant sentAt = Instant.now();
        long start = System.nanoTime();
        String previousScope = MDC.get("scope");
        if (scope != null) {
            MDC.put("scope", scope);
        }
        try {
            if (partitions.isCutOffFrom(to)) {
                throw fail(seqNo, sentAt, start, to, kind, scope, MessageOutcome.PARTITIONED, 0, null, null);
            }
            passFaultPoint(FaultPoint.SEND + kind, seqNo, sentAt, start, to, kind, scope, 0);
            Reply<T> reply = linked ? exchangeOverLink(base, path, to, kind, scope, body, type, seqNo, sentAt, start)
                    : null;
            if (reply == null) {
                reply = exchange(method, base + path, to, kind, scope, body, type, seqNo, sentAt, start);
            }
            passFaultPoint(FaultPoint.REPLY + kind, seqNo, sentAt, start, to, kind, scope, reply.status);
            record(seqNo, sentAt, start, to, kind, scope, MessageOutcome.DELIVERED, reply.status);
            return reply.body;
        } finally {
            if (previousScope == null) {
                MDC.remove("scope");
            } else {
                MDC.put("scope", previousScope);
            }
        }
    }

    private record Reply<T>(int status, T body) {
    }

    private <T> Reply<T> exchange(HttpMethod method, String url, String to, String kind, String scope, Object body,
            Class<T> type, long seqNo, Instant sentAt, long start) {
        try {
            RestClient.RequestBodySpec request = rest.method(method).uri(url)
                    .header(ClusterHeaders.FROM, self)
                    .header(ClusterHeaders.KIND, kind)
                    .header(TokenHeaders.CLUSTER_TOKEN, clusterToken);
            if (scope != null) {
                request.header(ClusterHeaders.SCOPE, scope);
            }
            tracing.inject(request::header);
            if (body != null) {
                request.body(body);
            }
            return request.exchange((req, res) -> {
                HttpStatusCode status = res.getStatusCode();
                if (status.is2xxSuccessful()) {
                    T value = type == Void.class ? null : res.bodyTo(type);
                    return new Reply<>(status.value(), value);
                }
                ProblemDetail problem = readProblem(res);
                MessageOutcome outcome = res.getHeaders().containsHeader(ClusterHeaders.PARTITIONED)
                        ? MessageOutcome.PARTITIONED
                        : status.is4xxClientError() ? MessageOutcome.REFUSED : MessageOutcome.FAILED;
                throw fail(seqNo, sentAt, start, to, kind, scope, outcome, status.value(), problem, null);
            }, true);
        } catch (ResourceAccessException e) {
            throw fail(seqNo, sentAt, start, to, kind, scope, classify(e), 0, null, e);
        } catch (RestClientException e) {
            // a 2xx whose body could not be read: cut off mid-answer (the peer crashed), or not what was expected
            throw fail(seqNo, sentAt, start, to, kind, scope, causedByIo(e) ? MessageOutcome.CONNECTION_LOST
                    : MessageOutcome.FAILED, 0, null, e);
        }
    }

    /**
     * The answer over a peer link; null when the message must go over HTTP instead: no link to the peer is idle (one
     * opens in the background), or the frame could not be sent (the link had closed; the peer did not handle it).
     */
    private <T> Reply<T> exchangeOverLink(String base, String path, String to, String kind, String scope,
            Object body, Class<T> type, long seqNo, Instant sentAt, long start) {
        Duration timeout = callTimeout.get() != null ? callTimeout.get() : defaultTimeout;
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JacksonException e) {
            throw fail(seqNo, sentAt, start, to, kind, scope, MessageOutcome.FAILED, 0, null, e);
        }
        PeerLinks.Link link = links.lease(to, base);
        if (link == null) {
            return null;
        }
        PeerFrames.Answer answer;
        try {
            answer = links.exchange(link, path, kind, scope, bytes, timeout);
        } catch (PeerLinks.NotSentException e) {
            log.debug("message {} to {} not sent over its link ({}): over HTTP instead", seqNo, to, e.getMessage());
            return null;
        } catch (TimeoutException e) {
            throw fail(seqNo, sentAt, start, to, kind, scope, MessageOutcome.TIMEOUT, 0, null, e);
        } catch (IOException e) {
            throw fail(seqNo, sentAt, start, to, kind, scope, MessageOutcome.CONNECTION_LOST, 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(seqNo, sentAt, start, to, kind, scope, MessageOutcome.FAILED, 0, null, e);
        }
        int status = answer.status();
        if (status >= 200 && status < 300) {
            try {
                T value = type == Void.class || answer.body().length == 0 ? null : json.readValue(answer.body(), type);
                return new Reply<>(status, value);
            } catch (JacksonException e) {
                throw fail(seqNo, sentAt, start, to, kind, scope, MessageOutcome.FAILED, 0, null, e);
            }
        }
        ProblemDetail problem;
        try {
            problem = json.readValue(answer.body(), ProblemDetail.class);
        } catch (JacksonException e) {
            problem = null; // not a problem detail: the status alone will do
        }
        MessageOutcome outcome = answer.partitioned() ? MessageOutcome.PARTITIONED
                : status >= 400 && status < 500 ? MessageOutcome.REFUSED : MessageOutcome.FAILED;
        throw fail(seqNo, sentAt, start, to, kind, scope, outcome, status, problem, null);
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private void passFaultPoint(String point, long seqNo, Instant sentAt, long start, String to, String kind,
            String scope, int status) {
        try {
            if (faults.at(point, scope, to) == Injected.DROP) {
                throw fail(seqNo, sentAt, start, to, kind, scope, MessageOutcome.DROPPED, status, null, null);
            }
        } catch (InjectedFaultException e) {
            throw fail(seqNo, sentAt, start, to, kind, scope, MessageOutcome.INJECTED_ERROR, status, null, e);
        }
    }

    private static ProblemDetail readProblem(RestClient.RequestHeadersSpec.ConvertibleClientHttpResponse res) {
        try {
            return res.bodyTo(ProblemDetail.class);
        } catch (RuntimeException e) {
            return null; // not a problem detail: the status alone will do
        }
    }

    private static MessageOutcome classify(ResourceAccessException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ConnectTimeoutException || cause instanceof HttpHostConnectException
                || cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException) {
            return MessageOutcome.UNREACHABLE;
        }
        if (cause instanceof SocketTimeoutException) {
            return MessageOutcome.TIMEOUT;
        }
        // e.g. the peer closed the connection mid-request (it crashed): the message may have done its work
        return cause instanceof IOException ? MessageOutcome.CONNECTION_LOST : MessageOutcome.FAILED;
    }

    private ClusterCallException fail(long seqNo, Instant sentAt, long start, String to, String kind, String scope,
            MessageOutcome outcome, int status, ProblemDetail problem, Throwable cause) {
        record(seqNo, sentAt, start, to, kind, scope, outcome, status);
        ClusterCallException failure = new ClusterCallException(to, kind, outcome, status, problem, cause);
        log.debug("message {} failed: {}", seqNo, failure.getMessage());
        return failure;
    }

    private void record(long seqNo, Instant sentAt, long start, String to, String kind, String scope,
            MessageOutcome outcome, int status) {
        long nanos = System.nanoTime() - start;
        messages.record(new MessageRecord(seqNo, sentAt, self, to, kind, scope,
                TimeUnit.NANOSECONDS.toMillis(nanos), outcome, status));
        timers.computeIfAbsent(kind + '|' + to + '|' + outcome, key -> Timer.builder("dtx.messages")
                .description("Messages this node sent to other nodes, by kind, peer and outcome")
                .tag("kind", kind).tag("to", to).tag("outcome", outcome.name())
                .register(meters))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void destroy() throws IOException {
        fanOut.shutdownNow();
        if (links != null) {
            links.close();
        }
        http.close();
    }
}
