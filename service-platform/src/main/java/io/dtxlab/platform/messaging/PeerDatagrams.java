package io.dtxlab.platform.messaging;

import io.dtxlab.core.cluster.Membership;
import io.dtxlab.platform.LabProperties;
import io.dtxlab.platform.concurrent.DaemonThreads;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.fault.FaultPoint;
import io.dtxlab.platform.fault.Injected;
import io.dtxlab.platform.fault.InjectedFaultException;
import io.dtxlab.platform.fault.NodeCrashedException;
import io.dtxlab.platform.fault.PartitionTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Datagrams between our nodes, for tiny messages a protocol may lose: heartbeats and their answers, as the failure
 * detectors of SWIM, memberlist and Serf probe over UDP. One datagram costs tens of microseconds of CPU on each end,
 * where an HTTP exchange through the servlet, security, metrics and JSON stacks costs milliseconds. Everything else
 * goes through the {@link ClusterClient}.
 * <p>
 * <b>Where.</b> One {@link DatagramChannel} bound to the UDP port of the same number as this node's HTTP port (the
 * TCP and UDP port spaces are separate, so no new configuration is needed: {@code coordinator-2} at
 * {@code http://localhost:8092} receives datagrams on UDP 8092). Peers' addresses come from
 * {@code dtx.cluster.members}, as the cluster client's do. When datagrams are switched off
 * ({@code dtx.datagrams.enabled=false}) or the port cannot be bound, a warning is logged once and {@link #send}
 * returns false, so the caller sends over HTTP as before.
 * <p>
 * <b>The guarantees of {@link ClusterClient}, kept:</b>
 * <ol>
 * <li>a partition refuses a datagram both ways: one to a node this node is cut off from is not sent, and one from such
 * a node is dropped on arrival;</li>
 * <li>a datagram passes the fault point {@code send:<kind>} before it leaves: DELAY holds it (on a thread of its own,
 * not the caller's, as the cluster client's send threads do), DROP and ERROR lose it, CRASH crashes the node. There is
 * no {@code reply:<kind>}: an answer is a datagram of its own, with its own {@code send:<kind>};</li>
 * <li>each datagram carries the sender's id, its kind, its scope and the cluster token; a datagram whose token is not
 * the cluster token (compared in constant time) is dropped and counted;</li>
 * <li>every datagram sent, or refused on the way out, is recorded in the {@link MessageLog} (outcome
 * {@link MessageOutcome#SENT}, {@code PARTITIONED}, {@code DROPPED}, {@code INJECTED_ERROR} or {@code UNREACHABLE};
 * latency 0, status 0), as the cluster client records its heartbeats; it is not in the {@code dtx.messages} timer,
 * which times exchanges, but in the counter {@code dtx.datagrams{kind, direction, reason}}: {@code direction} is
 * {@code sent}, {@code received} (accepted and handed to its handler) or {@code refused} (at either end), and
 * {@code reason} says why one was refused ({@code PARTITIONED}, {@code DROPPED}, {@code INJECTED_ERROR},
 * {@code UNREACHABLE}, {@code BAD_TOKEN}, {@code MALFORMED}, {@code INVALID}, {@code NO_HANDLER}, {@code FAILED}),
 * {@code none} otherwise. A datagram with a wrong token is counted under kind {@code unknown}: its kind is not
 * trusted.</li>
 * </ol>
 * Nothing is retried, acknowledged or ordered: a datagram arrives at most once, or not at all, in any order.
 * <p>
 * <b>Wire format</b> (at most {@value #MAX_BYTES} bytes, below the usual 1500-byte Ethernet MTU, so a datagram is
 * never fragmented): the byte {@code 2} (the format's version), then four strings, each as a two-byte big-endian
 * length and UTF-8 bytes (length {@code 0xFFFF}: none): the sender's node id, the kind, the scope and the cluster token;
 * then the body: in the compact binary form of the kind's {@link Codec} if its handler was registered with one, else
 * as JSON, written and read by the services' own Jackson mapper and checked with Bean Validation as a request body is.
 * A body that does not fit is refused by {@link #send} (false), and the caller sends over HTTP. Format 1 carried every
 * body as JSON; a datagram of another format is refused as {@code MALFORMED}, so nodes of different builds never
 * misread each other.
 * <p>
 * <b>Why codecs.</b> At rest a heartbeat arrives every few hundred milliseconds, long enough for the caches to forget
 * Jackson's and the validator's code: reading one small JSON record cost its follower about 0.5 ms of CPU, a third of
 * all it spent on a heartbeat. A codec writes and reads a handful of fields by hand.
 * <p>
 * <b>Receiving.</b> One daemon thread ({@code dtx-datagrams-<node>}) blocks in {@link DatagramChannel#receive} (no
 * polling) and calls the handler registered for the datagram's kind ({@link #on}) with the sender and the body, with
 * the node and scope in the log context. Handlers must be quick: anything that may wait (a lock held across disk
 * writes, a database, a network call) goes to the caller's own executor.
 */
@Component
public class PeerDatagrams implements DisposableBean {

    /** The largest datagram sent, header included: below the usual MTU, so never fragmented. */
    public static final int MAX_BYTES = 1400;
    private static final byte VERSION = 2;
    /** How long a peer's resolved address is reused before it is looked up again (also after a failed send). */
    private static final long RESOLVE_EVERY_NANOS = 10_000_000_000L;
    private static final int NONE = 0xFFFF;
    private static final String UNKNOWN_KIND = "unknown";
    private static final Logger log = LoggerFactory.getLogger(PeerDatagrams.class);

    /**
     * The compact binary form of one kind's body, in place of JSON and Bean Validation. Strings go through
     * {@link #putString} and {@link #getString}.
     *
     * @param <T> the body's type
     */
    public interface Codec<T> {

        /**
         * Writes {@code body} at the buffer's position.
         *
         * @throws java.nio.BufferOverflowException if it does not fit in a datagram (it goes over HTTP)
         * @throws IllegalArgumentException if this codec does not carry such a body (it goes over HTTP)
         */
        void write(T body, ByteBuffer out);

        /**
         * Reads a body written by {@link #write}, checking what Bean Validation would.
         *
         * @throws RuntimeException if the bytes are not such a body (the datagram is refused as {@code MALFORMED})
         */
        T read(ByteBuffer in);
    }

    private record Handler<T>(Class<T> type, Codec<T> codec, BiConsumer<String, T> consumer) {
    }

    /** A peer's host and port, from its URL, and its address as last resolved (see {@link #transmit}). */
    private static final class Peer {
        final String host;
        final int port;
        volatile InetSocketAddress resolved;
        volatile long resolvedAt;

        Peer(String host, int port) {
            this.host = host;
            this.port = port;
        }

        InetSocketAddress address() {
            InetSocketAddress last = resolved;
            long now = System.nanoTime();
            if (last == null || last.isUnresolved() || now - resolvedAt > RESOLVE_EVERY_NANOS) {
                last = new InetSocketAddress(host, port);
                resolved = last;
                resolvedAt = now;
            }
            return last;
        }

        void forget() {
            resolved = null;
        }
    }

    private final String self;
    private final Membership members;
    private final byte[] clusterToken;
    private final boolean enabled;
    private final FaultInjector faults;
    private final PartitionTable partitions;
    private final MessageLog messages;
    private final MeterRegistry meters;
    private final ObjectMapper json;
    private final Validator validator;
    private final Map<String, Handler<?>> handlers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Peer> addresses = new ConcurrentHashMap<>();
    /** Carries sends while a fault is armed, so an injected DELAY holds the datagram and not the caller. */
    private final ExecutorService faulted;
    private volatile DatagramChannel channel;
    private volatile Thread receiver;

    PeerDatagrams(LabProperties properties, FaultInjector faults, PartitionTable partitions, MessageLog messages,
            MeterRegistry meters, ObjectMapper json, ObjectProvider<Validator> validator) {
        this.self = properties.node().id();
        this.members = Membership.parse(properties.cluster().members());
        this.clusterToken = properties.security().clusterToken().getBytes(StandardCharsets.UTF_8);
        this.enabled = properties.datagrams().enabled();
        this.faults = faults;
        this.partitions = partitions;
        this.messages = messages;
        this.meters = meters;
        this.json = json;
        this.validator = validator.getIfAvailable();
        this.faulted = Executors.newCachedThreadPool(DaemonThreads.named("dtx-datagrams-faulted-" + self));
    }

    /**
     * Registers the handler of datagrams of {@code kind}: it gets the sender's node id and the body read as
     * {@code type}, on the receive thread (be quick). One handler per kind; a later one replaces it.
     */
    public <T> void on(String kind, Class<T> type, BiConsumer<String, T> handler) {
        handlers.put(requireWord(kind, "kind"), new Handler<>(type, null, handler));
    }

    /**
     * Registers the handler of datagrams of {@code kind}, as {@link #on(String, Class, BiConsumer)} does, with the codec
     * their bodies are read with; bodies of this kind that this node sends are written with it too.
     */
    public <T> void on(String kind, Class<T> type, Codec<T> codec, BiConsumer<String, T> handler) {
        handlers.put(requireWord(kind, "kind"), new Handler<>(type, Objects.requireNonNull(codec, "codec"), handler));
    }

    /** Whether datagrams are bound and may be sent; when false, {@link #send} sends nothing and returns false. */
    public boolean available() {
        DatagramChannel open = channel;
        return open != null && open.isOpen();
    }

    /** The UDP port datagrams are received on, or -1 while none is bound. */
    public int port() {
        try {
            DatagramChannel open = channel;
            return open == null ? -1 : ((InetSocketAddress) open.getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Sends {@code body} to node {@code to} as one datagram of {@code kind} about {@code scope} (may be null), without
     * waiting for anything.
     *
     * @return false when this transport cannot carry it (datagrams off or unbound, or the encoded datagram is larger
     *     than {@value #MAX_BYTES} bytes): nothing was sent or recorded, send it over HTTP. True otherwise: it left, or a
     *     partition, a fault or an unreachable address lost it (recorded and counted), as any datagram may be lost
     * @throws IllegalArgumentException if {@code to} is not a member of the cluster
     */
    public boolean send(String to, String kind, String scope, Object body) {
        Peer address = address(to);
        if (!available()) {
            return false;
        }
        ByteBuffer datagram = encode(kind, scope, body);
        if (datagram == null) {
            return false;
        }
        if (faults.isArmed()) {
            var context = MDC.getCopyOfContextMap();
            faulted.execute(() -> {
                if (context != null) {
                    MDC.setContextMap(context);
                }
                try {
                    transmit(to, address, kind, scope, datagram);
                } finally {
                    MDC.clear();
                }
            });
        } else {
            transmit(to, address, kind, scope, datagram);
        }
        return true;
    }

    private void transmit(String to, Peer peer, String kind, String scope, ByteBuffer datagram) {
        long seq = messages.nextSeq();
        Instant sentAt = Instant.now();
        if (partitions.isCutOffFrom(to)) {
            outgoing(seq, sentAt, to, kind, scope, MessageOutcome.PARTITIONED);
            return;
        }
        try {
            if (faults.at(FaultPoint.SEND + kind, scope, to) == Injected.DROP) {
                outgoing(seq, sentAt, to, kind, scope, MessageOutcome.DROPPED);
                return;
            }
        } catch (InjectedFaultException e) {
            outgoing(seq, sentAt, to, kind, scope, MessageOutcome.INJECTED_ERROR);
            return;
        } catch (NodeCrashedException e) {
            return; // the node is crashing at this point: nothing more leaves
        }
        DatagramChannel open = channel;
        if (open == null) {
            return; // closed meanwhile: the node is stopping
        }
        try {
            // looked up again every few seconds and after a failure: a peer whose address changed (a container started
            // again) is found at its new address
            open.send(datagram, peer.address());
            outgoing(seq, sentAt, to, kind, scope, MessageOutcome.SENT);
        } catch (IOException | java.nio.channels.UnresolvedAddressException e) {
            peer.forget();
            log.debug("datagram {} to {} not sent: {}", kind, to, e.toString());
            outgoing(seq, sentAt, to, kind, scope, MessageOutcome.UNREACHABLE);
        }
    }

    private void outgoing(long seq, Instant sentAt, String to, String kind, String scope, MessageOutcome outcome) {
        messages.record(new MessageRecord(seq, sentAt, self, to, kind, scope, 0, outcome, 0));
        if (outcome == MessageOutcome.SENT) {
            count(kind, "sent", "none");
        } else {
            count(kind, "refused", outcome.name());
        }
    }

    /** The datagram, ready to send; null if it would be larger than {@link #MAX_BYTES}. */
    private ByteBuffer encode(String kind, String scope, Object body) {
        byte[] from = self.getBytes(StandardCharsets.UTF_8);
        byte[] k = requireWord(kind, "kind").getBytes(StandardCharsets.UTF_8);
        byte[] s = scope == null ? null : scope.getBytes(StandardCharsets.UTF_8);
        int header = 1 + 8 + from.length + k.length + (s == null ? 0 : s.length) + clusterToken.length;
        Handler<?> handler = handlers.get(kind);
        byte[] payload = handler == null || handler.codec() == null ? json.writeValueAsBytes(body) : null;
        int size = payload == null ? MAX_BYTES : header + payload.length;
        if (size > MAX_BYTES) {
            log.debug("datagram {} of {} bytes is larger than {}: it goes over HTTP", kind, size, MAX_BYTES);
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size).put(VERSION);
        putBytes(buffer, from);
        putBytes(buffer, k);
        putBytes(buffer, s);
        putBytes(buffer, clusterToken);
        if (payload != null) {
            return buffer.put(payload).flip();
        }
        try {
            write(handler, body, buffer);
        } catch (java.nio.BufferOverflowException | IllegalArgumentException e) {
            log.debug("datagram {} does not fit its codec or {} bytes ({}): it goes over HTTP", kind, MAX_BYTES,
                    e.toString());
            return null;
        }
        return buffer.flip();
    }

    private static <T> void write(Handler<T> handler, Object body, ByteBuffer buffer) {
        handler.codec().write(handler.type().cast(body), buffer);
    }

    /**
     * Writes {@code value} (may be null) as a codec's string: a two-byte big-endian length, then its UTF-8 bytes.
     *
     * @throws IllegalArgumentException if it is longer than 65,534 bytes
     */
    public static void putString(ByteBuffer buffer, String value) {
        putBytes(buffer, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a string written by {@link #putString}: null if it was null. */
    public static String getString(ByteBuffer buffer) {
        int length = Short.toUnsignedInt(buffer.getShort());
        if (length == NONE) {
            return null;
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putBytes(ByteBuffer buffer, byte[] value) {
        if (value == null) {
            buffer.putShort((short) NONE);
        } else if (value.length >= NONE) {
            throw new IllegalArgumentException("a datagram string of " + value.length + " bytes is too long");
        } else {
            buffer.putShort((short) value.length).put(value);
        }
    }

    private Peer address(String to) {
        String url = members.url(to).orElseThrow(() -> new IllegalArgumentException(
                "unknown node '" + to + "'; members are " + members.asMap().keySet()));
        return addresses.computeIfAbsent(to, id -> {
            URI uri = URI.create(url);
            return new Peer(uri.getHost(), uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80);
        });
    }

    // ---------------------------------------------------------------- receiving

    private void receiveLoop(DatagramChannel open) {
        // direct, so the kernel writes into it without a copy through a temporary one; one byte more than a datagram
        // may have, so a larger one (cut to fit) is seen as too large
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_BYTES + 1);
        while (open.isOpen()) {
            buffer.clear();
            try {
                open.receive(buffer);
            } catch (ClosedChannelException e) {
                return; // closed: the node is stopping
            } catch (IOException e) {
                log.debug("datagram receive failed: {}", e.toString());
                continue;
            }
            buffer.flip();
            try {
                dispatch(buffer);
            } catch (RuntimeException e) {
                log.warn("a datagram handler failed", e);
            }
        }
    }

    private void dispatch(ByteBuffer datagram) {
        String from;
        String kind;
        String scope;
        byte[] token;
        try {
            if (datagram.remaining() > MAX_BYTES || datagram.get() != VERSION) {
                count(UNKNOWN_KIND, "refused", "MALFORMED");
                return;
            }
            from = getString(datagram);
            kind = getString(datagram);
            scope = getString(datagram);
            String t = getString(datagram);
            token = t == null ? new byte[0] : t.getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) { // too short for what its lengths claim
            count(UNKNOWN_KIND, "refused", "MALFORMED");
            return;
        }
        if (!MessageDigest.isEqual(token, clusterToken)) {
            count(UNKNOWN_KIND, "refused", "BAD_TOKEN");
            return;
        }
        if (from == null || kind == null) {
            count(UNKNOWN_KIND, "refused", "MALFORMED");
            return;
        }
        if (partitions.isCutOffFrom(from)) {
            count(kind, "refused", "PARTITIONED");
            return;
        }
        Handler<?> handler = handlers.get(kind);
        if (handler == null) {
            count(kind, "refused", "NO_HANDLER");
            return;
        }
        MDC.put("node", self);
        if (scope != null) {
            MDC.put("scope", scope);
        }
        try {
            deliver(handler, from, kind, datagram);
        } finally {
            MDC.remove("node");
            MDC.remove("scope");
        }
    }

    private <T> void deliver(Handler<T> handler, String from, String kind, ByteBuffer datagram) {
        T body;
        try {
            if (handler.codec() != null) {
                body = handler.codec().read(datagram);
                if (datagram.hasRemaining()) {
                    throw new IllegalArgumentException(datagram.remaining() + " bytes after the body");
                }
            } else {
                byte[] bytes = new byte[datagram.remaining()];
                datagram.get(bytes);
                body = json.readValue(bytes, handler.type());
            }
        } catch (RuntimeException e) {
            log.debug("datagram {} from {} is not a {}: {}", kind, from, handler.type().getSimpleName(), e.toString());
            count(kind, "refused", "MALFORMED");
            return;
        }
        if (body == null) {
            count(kind, "refused", "MALFORMED");
            return;
        }
        if (validator != null && handler.codec() == null) {
            Set<ConstraintViolation<T>> violations = validator.validate(body);
            if (!violations.isEmpty()) {
                log.debug("datagram {} from {} is invalid: {}", kind, from, violations);
                count(kind, "refused", "INVALID");
                return;
            }
        }
        count(kind, "received", "none");
        try {
            handler.consumer().accept(from, body);
        } catch (RuntimeException e) {
            count(kind, "refused", "FAILED");
            log.warn("the handler of datagram {} from {} failed", kind, from, e);
        }
    }

    private void count(String kind, String direction, String reason) {
        counters.computeIfAbsent(kind + '|' + direction + '|' + reason, key -> Counter.builder("dtx.datagrams")
                .description("Datagrams between nodes (heartbeats and their answers), by kind, direction "
                        + "(sent, received, refused) and why one was refused")
                .tag("kind", kind).tag("direction", direction).tag("reason", reason)
                .register(meters)).increment();
    }

    // ---------------------------------------------------------------- lifecycle

    /** Binds the UDP port of the number the web server listens on (once it knows it: tests choose ports at run time). */
    @EventListener
    void onWebServer(WebServerInitializedEvent event) {
        if (WebServerApplicationContext.hasServerNamespace(event.getApplicationContext(), "management")) {
            return; // a separate management port: datagrams go with the node's own port
        }
        open(event.getWebServer().getPort());
    }

    /**
     * Binds {@code port} (0: any free port) on every interface and starts the receive thread; on failure, or when
     * datagrams are switched off, logs a warning and leaves them unavailable.
     */
    synchronized void open(int port) {
        if (channel != null) {
            return;
        }
        if (!enabled) {
            log.warn("datagrams are switched off (dtx.datagrams.enabled=false): heartbeats go over HTTP");
            return;
        }
        try {
            DatagramChannel open = DatagramChannel.open();
            try {
                open.bind(new InetSocketAddress(port));
            } catch (IOException | RuntimeException e) {
                open.close();
                throw e;
            }
            channel = open;
            receiver = DaemonThreads.named("dtx-datagrams-" + self).newThread(() -> receiveLoop(open));
            receiver.start();
            log.info("datagrams of {} on UDP port {}", self, port());
        } catch (IOException | RuntimeException e) {
            log.warn("datagrams unavailable: cannot bind UDP port {} ({}); heartbeats go over HTTP", port, e.toString());
        }
    }

    /** Stops sending and receiving at once when the node begins to stop (or crashes), before its beans stop. */
    @EventListener
    void onClose(ContextClosedEvent event) {
        close();
    }

    synchronized void close() {
        DatagramChannel open = channel;
        channel = null;
        if (open != null) {
            try {
                open.close(); // wakes the receive thread, which ends
            } catch (IOException e) {
                log.debug("closing the datagram channel: {}", e.toString());
            }
        }
    }

    @Override
    public void destroy() {
        close();
        faulted.shutdownNow();
    }

    private static String requireWord(String value, String what) {
        if (value == null || value.isBlank() || value.length() > 100) {
            throw new IllegalArgumentException("a datagram needs a " + what + " of 1 to 100 characters: " + value);
        }
        return value;
    }
}
