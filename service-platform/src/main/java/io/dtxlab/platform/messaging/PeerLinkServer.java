package io.dtxlab.platform.messaging;

import io.dtxlab.platform.LabProperties;
import io.dtxlab.platform.fault.PartitionTable;
import io.dtxlab.platform.problem.ProblemTypes;
import io.dtxlab.platform.problem.Problems;
import io.dtxlab.platform.web.RequestBodyLimit;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The receiving side of peer links ({@link PeerLinks}). {@code GET /internal/peer-link} with the cluster token (the
 * same filters as every internal request: token, partition, body limit) upgrades the connection to a WebSocket; from
 * then on each binary frame is a request for one of this node's {@link PeerLinkRoute}s and is answered with one frame,
 * in order, on the thread that read it. Per frame, as over HTTP: a node partitioned from the sender answers 503
 * partitioned; an unknown path 404; a body Jackson cannot read, or one that breaks a constraint, 400 listing each
 * field; an exception the problem it stands for ({@link Problems}). The log context names this node and the scope.
 */
@RestController
@Hidden // a WebSocket upgrade for other nodes, not an HTTP operation; the README describes the frames
class PeerLinkServer extends Endpoint {

    private static final Logger log = LoggerFactory.getLogger(PeerLinkServer.class);
    private static final String FROM = "from";

    private final String self;
    private final PartitionTable partitions;
    private final JsonMapper json;
    private final Validator validator;
    private final long maxFrameBytes;
    private final Map<String, PeerLinkRoute<?>> routes;
    private final ServerEndpointConfig config;

    PeerLinkServer(LabProperties properties, PartitionTable partitions, JsonMapper json, Validator validator,
            Environment environment, List<PeerLinkRoute<?>> routes) {
        this.self = properties.node().id();
        this.partitions = partitions;
        this.json = PeerFrames.json(json);
        this.validator = validator;
        this.maxFrameBytes = environment.getProperty(RequestBodyLimit.PROPERTY, DataSize.class,
                DataSize.ofMegabytes(2)).toBytes();
        this.routes = routes.stream().collect(Collectors.toUnmodifiableMap(PeerLinkRoute::path, Function.identity()));
        PeerLinkServer endpoint = this;
        this.config = ServerEndpointConfig.Builder.create(PeerLinkServer.class, PeerLinks.PATH)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(endpoint);
                    }

                    @Override
                    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request,
                            HandshakeResponse response) {
                        List<String> from = request.getHeaders().get(ClusterHeaders.FROM);
                        sec.getUserProperties().put(FROM, from == null || from.isEmpty() ? "" : from.get(0));
                    }
                }).build();
    }

    @GetMapping(PeerLinks.PATH)
    void upgrade(HttpServletRequest request, HttpServletResponse response) throws IOException, DeploymentException {
        ServletContext context = request.getServletContext();
        ServerContainer container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        container.upgradeHttpToWebSocket(request, response, config, Map.of());
    }

    @Override
    public void onOpen(Session session, EndpointConfig endpointConfig) {
        String from = String.valueOf(endpointConfig.getUserProperties().get(FROM));
        session.setMaxIdleTimeout(PeerLinks.IDLE_CLOSE.toMillis());
        session.setMaxBinaryMessageBufferSize(64 * 1024);
        ByteArrayOutputStream partial = new ByteArrayOutputStream();
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) -> {
            if (partial.size() + part.remaining() > maxFrameBytes) {
                close(session, "a frame over " + maxFrameBytes + " bytes");
                return;
            }
            byte[] bytes = new byte[part.remaining()];
            part.get(bytes);
            if (!last) {
                partial.write(bytes, 0, bytes.length);
                return;
            }
            byte[] frame = bytes;
            if (partial.size() > 0) {
                partial.write(bytes, 0, bytes.length);
                frame = partial.toByteArray();
                partial.reset();
            }
            receive(session, from, frame);
        });
    }

    private void receive(Session session, String from, byte[] frame) {
        PeerFrames.Request request;
        try {
            request = PeerFrames.readRequest(frame);
        } catch (IOException e) {
            close(session, "unreadable frame: " + e.getMessage());
            return;
        }
        MDC.put("node", self);
        if (request.scope() != null) {
            MDC.put("scope", request.scope());
        }
        try {
            if (partitions.isCutOffFrom(from)) {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                        self + " is partitioned from " + from + " and refuses its messages");
                problem.setTitle("Partitioned");
                problem.setType(ProblemTypes.of(HttpStatus.SERVICE_UNAVAILABLE));
                answer(session, request.id(), 503, true, problem);
                return;
            }
            PeerLinkRoute<?> route = routes.get(request.path());
            if (route == null) {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                        "no peer link route " + request.path() + " on " + self);
                problem.setTitle("Not Found");
                problem.setType(ProblemTypes.of(HttpStatus.NOT_FOUND));
                answer(session, request.id(), 404, false, problem);
                return;
            }
            Object reply;
            try {
                reply = handle(route, request.body());
            } catch (RuntimeException e) {
                ProblemDetail problem = Problems.of(e);
                answer(session, request.id(), problem.getStatus(), false, problem);
                return;
            }
            answer(session, request.id(), 200, false, reply);
        } finally {
            MDC.remove("node");
            MDC.remove("scope");
        }
    }

    private <T> Object handle(PeerLinkRoute<T> route, byte[] body) {
        T value;
        try {
            value = json.readValue(body, route.requestType());
        } catch (JacksonException e) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, Problems.unreadable(e), e);
        }
        if (value == null) {
            throw new IllegalArgumentException("no body");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, Problems.violations(violations, false), null);
        }
        return route.handle(value);
    }

    private void answer(Session session, long id, int status, boolean partitioned, Object body) {
        ByteBuffer frame;
        try {
            frame = PeerFrames.answer(id, status, partitioned, body == null ? new byte[0] : json.writeValueAsBytes(body));
        } catch (JacksonException e) {
            log.error("could not write the answer to peer link request {}", id, e);
            close(session, "unwritable answer");
            return;
        }
        try {
            synchronized (session) {
                session.getBasicRemote().sendBinary(frame);
            }
        } catch (IOException | IllegalStateException e) {
            log.debug("could not answer peer link request {}: {}", id, e.getMessage()); // the sender went away
        }
    }

    private static void close(Session session, String why) {
        log.warn("closing a peer link: {}", why);
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.PROTOCOL_ERROR, why.length() > 100
                    ? why.substring(0, 100) : why));
        } catch (IOException e) {
            log.debug("peer link already gone: {}", e.getMessage());
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        log.debug("peer link error: {}", error.toString());
    }
}
