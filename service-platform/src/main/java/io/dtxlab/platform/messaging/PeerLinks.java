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
import java.util.concurrent.CompletionException;
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
    /** After a failed open, how long messages to that peer go over HTTP before a link is tried again. */
    private static final Duration RETRY_OPEN_AFTER = Duration.ofSeconds(5);
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
    /** When opening a link to a peer last failed ({@link System#nanoTime}). */
    private final Map<String, Long> lastFailedOpen = new ConcurrentHashMap<>();
    private volatile boolean shut;
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
        if (shut) {
            return null;
        }
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
     * @throws NotSentException the frame never left (the link had closed): the peer cannot have handled it
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
        Long failedAt = lastFailedOpen.get(to);
        if (failedAt != null && System.nanoTime() - failedAt < RETRY_OPEN_AFTER.toNanos()) {
            return; // a peer that refused a link (a partition, a node without links) is not asked at every message
        }
        if (opening.putIfAbsent(to, Boolean.TRUE) != null) {
            return;
        }
        URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + PATH);
        Link link = new Link(to);
        long begun = System.nanoTime();
        CompletableFuture.runAsync(() -> http().newWebSocketBuilder()
                        .header(ClusterHeaders.FROM, self)
                        .header(TokenHeaders.CLUSTER_TOKEN, clusterToken)
                        .connectTimeout(OPEN_WITHIN) // bounds the whole opening handshake
                        .buildAsync(uri, link)
                        .whenComplete((socket, error) -> {
                            opening.remove(to);
                            if (error != null) {
                                lastFailedOpen.put(to, System.nanoTime());
                                log.debug("no peer link to {} at {}: {}", to, uri, error.toString());
                                return;
                            }
                            lastFailedOpen.remove(to);
                            link.opened(socket);
                            log.debug("peer link to {} open in {} ms", to,
                                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
                            if (shut) {
                                link.close();
                            } else {
                                giveBack(link);
                            }
                        }))
                .exceptionally(error -> {
                    opening.remove(to);
                    lastFailedOpen.put(to, System.nanoTime());
                    log.debug("no peer link to {}: {}", to, error.toString());
                    return null;
                });
    }

    @Override
    public void close() {
        shut = true;
        idle.values().forEach(links -> links.forEach(Link::close));
        idle.clear(); // the JDK's client (no shutdown before Java 21) ends its selector thread once unreachable
    }

    /** One connection to one peer, carrying one request at a time; its listener reassembles answer frames. */
    static final class Link implements WebSocket.Listener {

        private final String peer;
        private volatile WebSocket socket;
        private volatile boolean closed;
        /** The request awaiting its answer on this link, if any. */
        private volatile Pending pending;
        private volatile long lastUsed = System.nanoTime();
        /** The last frame's send: the next waits for it. Only the thread holding the link sends. */
        private CompletableFuture<WebSocket> lastSend;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Link(String peer) {
            this.peer = peer;
        }

        void opened(WebSocket webSocket) {
            socket = webSocket;
            lastSend = CompletableFuture.completedFuture(webSocket);
        }

        boolean isOpen() {
            return !closed && socket != null && !socket.isOutputClosed() && !socket.isInputClosed();
        }

        CompletableFuture<PeerFrames.Answer> send(long id, ByteBuffer frame) {
            CompletableFuture<PeerFrames.Answer> answer = new CompletableFuture<>();
            lastUsed = System.nanoTime();
            pending = new Pending(id, answer);
            // The JDK allows one send outstanding, and the last request's send may complete after its answer came.
            CompletableFuture<WebSocket> sent = lastSend.thenCompose(ws -> ws.sendBinary(frame, true));
            lastSend = sent;
            sent.whenComplete((ws, error) -> {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    answer.completeExceptionally(new NotSentException("could not send to " + peer, cause));
                }
            });
            if (closed) { // closed while we set up: whoever closed it may not have seen this request
                answer.completeExceptionally(new NotSentException("the link to " + peer + " closed", null));
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
            Pending waiting = pending;
            if (waiting != null) {
                waiting.answer().completeExceptionally(error);
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
                Pending waiting = pending;
                if (waiting != null && answer.id() == waiting.id()) {
                    waiting.answer().complete(answer);
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

    private record Pending(long id, CompletableFuture<PeerFrames.Answer> answer) {
    }

    /** The frame never left: the link had closed before it could be written, so the peer cannot have handled it. */
    static final class NotSentException extends IOException {
        NotSentException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
