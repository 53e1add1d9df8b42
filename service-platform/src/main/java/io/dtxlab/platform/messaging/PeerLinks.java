package io.dtxlab.platform.messaging;

import io.dtxlab.platform.security.TokenHeaders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of peer links: long-lived WebSocket connections (RFC 6455, the JDK's client) to other nodes'
 * {@value #PATH}, over which a request and its answer are two binary frames ({@link PeerFrames}) instead of an HTTP
 * exchange. Only the {@link ClusterClient} uses it, for the paths the protocols send most (a participant's batch, a
 * coordinator's begin batch, Paxos messages); everything it does around a message (partitions, fault points, the
 * message log, metrics) is the same over either transport.
 * <p>
 * Like a pool of keep-alive HTTP connections: a link carries one request at a time, so a slow answer holds back no
 * other message; a request takes an idle link to its peer and gives it back once answered. When none is idle the
 * message goes over HTTP while a new link opens in the background, so the pool grows to what the load needs. A link
 * whose answer did not come in time, or whose connection broke, is closed and never reused. Nothing runs while links
 * are idle (no pings): a peer that went away is noticed when the operating system reports the connection closed, or
 * by the next request on it. The peer closes a link idle for {@link #IDLE_CLOSE}; this side stops using one long
 * before, so that the two never cross.
 */
final class PeerLinks implements AutoCloseable {

    /** Where a node accepts peer links (a WebSocket upgrade, cluster token required). */
    static final String PATH = "/internal/peer-link";
    /**
     * How long a peer keeps a link that carries nothing before it closes it: at rest no link stays open, so no
     * WebSocket housekeeping wakes (Tomcat's runs every second while any session is open).
     */
    static final Duration IDLE_CLOSE = Duration.ofSeconds(60);
    /** How long an upgrade may take before the link is given up (the messages meanwhile go over HTTP). */
    private static final Duration OPEN_WITHIN = Duration.ofSeconds(10);
    /** A link idle for longer is not used again but closed, so a request never meets the peer's idle close. */
    private static final long REUSE_WITHIN_NANOS = IDLE_CLOSE.dividedBy(3).toNanos();

    private static final Logger log = LoggerFactory.getLogger(PeerLinks.class);

    private final String self;
    private final String clusterToken;
    private final Duration connectTimeout;
    /** Made with the first link: its selector thread wakes every few seconds, which a node that sends none skips. */
    private volatile HttpClient http;
    private final Map<String, Deque<Link>> idle = new ConcurrentHashMap<>();
    /** The peers a link is being opened to. */
    private final Map<String, Boolean> opening = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    PeerLinks(String self, String clusterToken, Duration connectTimeout) {
        this.self = self;
        this.clusterToken = clusterToken;
        this.connectTimeout = connectTimeout;
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
                    http = client;
                }
            }
        }
        return client;
    }

    /**
     * An idle link to {@code to}, taken for one request, or null when there is none: then the message goes over HTTP,
     * and a link is opened in the background (one at a time per peer) for the messages after it. So no message waits
     * for a link to open, and a link that cannot be opened costs no message anything: a node just started, on a busy
     * machine, may take seconds to load its WebSocket classes for its first upgrade.
     */
    Link lease(String to, String baseUrl) {
        Deque<Link> links = idle.get(to);
        if (links != null) {
            for (Link link = links.pollFirst(); link != null; link = links.pollFirst()) {
                if (link.isOpen() && System.nanoTime() - link.lastUsed < REUSE_WITHIN_NANOS) {
                    return link;
                }
                link.close();
            }
        }
        openInBackground(to, baseUrl);
        return null;
    }

    /**
     * Sends one request over {@code link} (from {@link #lease}) and waits for its answer, on the calling thread; the
     * link goes back to the idle ones once answered, and is closed otherwise.
     *
     * @throws TimeoutException no answer within {@code timeout}; the request may have been handled
     * @throws IOException the connection broke before the answer came; the request may have been handled
     */
    PeerFrames.Answer exchange(Link link, String path, String kind, String scope, byte[] body, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        long id = ids.incrementAndGet();
        CompletableFuture<PeerFrames.Answer> answer = link.send(id, PeerFrames.request(id, path, kind, scope, body));
        try {
            PeerFrames.Answer received = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            giveBack(link);
            return received;
        } catch (TimeoutException e) {
            link.close(); // its peer may still be busy with this request: the next one must not queue behind it
            throw e;
        } catch (ExecutionException e) {
            link.close();
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            link.close();
            throw e;
        }
    }

    private void giveBack(Link link) {
        if (link.isOpen()) {
            idle.computeIfAbsent(link.peer, k -> new ConcurrentLinkedDeque<>()).addFirst(link);
        }
    }

    private void openInBackground(String to, String baseUrl) {
        if (opening.putIfAbsent(to, Boolean.TRUE) != null) {
            return;
        }
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + PATH);
        Link link = new Link(to);
        long begun = System.nanoTime();
        CompletableFuture.runAsync(() -> http().newWebSocketBuilder()
                        .header(ClusterHeaders.FROM, self)
                        .header(TokenHeaders.CLUSTER_TOKEN, clusterToken)
                        .connectTimeout(OPEN_WITHIN)
                        .buildAsync(uri, link)
                        .orTimeout(OPEN_WITHIN.toMillis() + 1000, TimeUnit.MILLISECONDS)
                        .whenComplete((socket, error) -> {
                            opening.remove(to);
                            if (error != null) {
                                log.debug("no peer link to {} at {}: {}", to, uri, error.toString());
                                return;
                            }
                            link.socket = socket;
                            log.debug("peer link to {} open in {} ms", to,
                                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
                            giveBack(link);
                        }))
                .exceptionally(error -> {
                    opening.remove(to);
                    log.debug("no peer link to {}: {}", to, error.toString());
                    return null;
                });
    }

    @Override
    public void close() {
        idle.values().forEach(links -> links.forEach(Link::close));
        idle.clear(); // the JDK's client (no shutdown before Java 21) ends its selector thread once unreachable
    }

    /** One connection to one peer, carrying one request at a time; its listener reassembles answer frames. */
    static final class Link implements WebSocket.Listener {

        private final String peer;
        private volatile WebSocket socket;
        private volatile boolean closed;
        private volatile long pendingId;
        private volatile CompletableFuture<PeerFrames.Answer> pending;
        private volatile long lastUsed = System.nanoTime();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Link(String peer) {
            this.peer = peer;
        }

        boolean isOpen() {
            return !closed && socket != null && !socket.isOutputClosed() && !socket.isInputClosed();
        }

        CompletableFuture<PeerFrames.Answer> send(long id, ByteBuffer frame) {
            CompletableFuture<PeerFrames.Answer> answer = new CompletableFuture<>();
            lastUsed = System.nanoTime();
            pendingId = id;
            pending = answer;
            socket.sendBinary(frame, true).whenComplete((ws, error) -> {
                if (error != null) {
                    answer.completeExceptionally(error instanceof IOException ? error
                            : new IOException("could not send to " + peer, error));
                }
            });
            if (closed) { // closed while we set up: whoever closed it may not have seen this request
                answer.completeExceptionally(new IOException("the link to " + peer + " closed"));
            }
            return answer;
        }

        void close() {
            closed = true;
            WebSocket ws = socket;
            if (ws != null) {
                ws.abort();
            }
            fail(new IOException("the link to " + peer + " closed"));
        }

        private void fail(IOException error) {
            CompletableFuture<PeerFrames.Answer> answer = pending;
            if (answer != null) {
                answer.completeExceptionally(error);
            }
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (!last) {
                copy(data);
                webSocket.request(1);
                return null;
            }
            ByteBuffer frame = data;
            if (partial.size() > 0) {
                copy(data);
                frame = ByteBuffer.wrap(partial.toByteArray());
                partial.reset();
            }
            try {
                PeerFrames.Answer answer = PeerFrames.readAnswer(frame);
                CompletableFuture<PeerFrames.Answer> waiting = pending;
                if (waiting != null && answer.id() == pendingId) {
                    waiting.complete(answer);
                } // else: the answer to a request given up on; its link is being closed
            } catch (IOException e) {
                log.warn("unreadable frame from {}: {}", peer, e.getMessage());
                close();
                return null;
            }
            webSocket.request(1);
            return null;
        }

        private void copy(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.write(bytes, 0, bytes.length);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            fail(new IOException("the link to " + peer + " closed: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
            fail(error instanceof IOException io ? io : new IOException(error));
        }
    }
}
