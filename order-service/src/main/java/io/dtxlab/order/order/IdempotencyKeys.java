package io.dtxlab.order.order;

import io.dtxlab.order.OrderProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code Idempotency-Key} rules of {@code POST /orders} (IETF draft-ietf-httpapi-idempotency-key-header), kept in
 * the {@code idempotency_keys} table:
 * <ul>
 * <li>a new key is stored with the order's ids (orderId, xid) and the request's fingerprint, and committed, before
 * the order is placed;</li>
 * <li>the same key with the same request answers the first final answer (201, same body) without placing anything;
 * if no final answer was stored (the first request answered 202 or 503, or the node died mid-order) the retry
 * resumes the same order: same orderId and xid, which the coordinators answer with its real outcome;</li>
 * <li>the same key with another request: 422; the same key while a request with it is in flight here: 409.</li>
 * </ul>
 * A key is kept for {@link OrderProperties#idempotencyKeysKeptFor()} from its first use; older ones count as unknown
 * and are purged when a new key is stored, at most once a minute (no poll on the order path).
 */
@Component
class IdempotencyKeys {

    /** What a request with a known or new key does. */
    sealed interface Claim {
    }

    /** Answer the first request's answer again. */
    record Replay(int status, PlacedOrder answer) implements Claim {
    }

    /** Place (or resume) the order with these ids; {@code resumed} when the key was stored before. */
    record Place(OrderPlacement.OrderIds ids, boolean resumed) implements Claim {
    }

    private record Stored(String fingerprint, String orderId, String xid, Integer status, String answer,
            Instant createdAt) {
    }

    private static final Duration PURGE_AT_MOST_EVERY = Duration.ofMinutes(1);

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Duration keptFor;
    private final Clock clock;
    /** Keys whose request is being answered by this process now; empty after a restart (nothing is in flight). */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

    @org.springframework.beans.factory.annotation.Autowired
    IdempotencyKeys(JdbcTemplate jdbc, ObjectMapper json, OrderProperties properties) {
        this(jdbc, json, properties, Clock.systemUTC());
    }

    IdempotencyKeys(JdbcTemplate jdbc, ObjectMapper json, OrderProperties properties, Clock clock) {
        this.clock = clock;
        this.jdbc = jdbc;
        this.json = json;
        this.keptFor = properties.idempotencyKeysKeptFor();
    }

    /**
     * Claims {@code key} for {@code order}; the caller must {@link #release} it once answered (also when it failed).
     *
     * @param fresh the ids a new order gets if the key is new
     * @throws ResponseStatusException 409 if a request with the key is in flight, 422 if the key was used with
     *         another request (nothing is claimed then)
     */
    Claim claim(IdempotencyKey key, PlaceOrder order, OrderPlacement.OrderIds fresh) {
        String fingerprint = fingerprint(order);
        if (!inFlight.add(key.value())) {
            find(key).filter(s -> !s.fingerprint().equals(fingerprint)).ifPresent(s -> {
                throw reused(key);
            });
            throw new ResponseStatusException(HttpStatus.CONFLICT, "a request with " + IdempotencyKey.HEADER + " '"
                    + key.value() + "' is still in flight; retry once it is answered");
        }
        try {
            Optional<Stored> stored = find(key);
            if (stored.isEmpty()) {
                purgeExpired();
                try {
                    jdbc.update("insert into idempotency_keys (idem_key, fingerprint, order_id, xid, created_at) "
                            + "values (?, ?, ?, ?, ?)", key.value(), fingerprint, fresh.orderId(), fresh.xid(),
                            Timestamp.from(clock.instant()));
                    return new Place(fresh, false);
                } catch (DuplicateKeyException raced) {
                    stored = find(key); // stored by another node sharing the database (not in our in-flight set)
                }
            }
            Stored s = stored.orElseThrow();
            if (!s.fingerprint().equals(fingerprint)) {
                throw reused(key);
            }
            if (s.status() != null) {
                return new Replay(s.status(), json.readValue(s.answer(), PlacedOrder.class));
            }
            return new Place(new OrderPlacement.OrderIds(s.orderId(), s.xid()), true);
        } catch (RuntimeException e) {
            release(key);
            throw e;
        }
    }

    /** Stores the final answer given under {@code key}: a retry answers it again. */
    void answered(IdempotencyKey key, int status, PlacedOrder answer) {
        jdbc.update("update idempotency_keys set http_status = ?, answer = ? where idem_key = ?", status,
                json.writeValueAsString(answer), key.value());
    }

    void release(IdempotencyKey key) {
        inFlight.remove(key.value());
    }

    /** A stored key within the window; an older one counts as unknown (and is deleted, to be stored anew). */
    private Optional<Stored> find(IdempotencyKey key) {
        Optional<Stored> stored = jdbc.query("select fingerprint, order_id, xid, http_status, answer, created_at from "
                + "idempotency_keys where idem_key = ?", (rs, n) -> new Stored(rs.getString(1), rs.getString(2),
                        rs.getString(3), (Integer) rs.getObject(4), rs.getString(5), rs.getTimestamp(6).toInstant()),
                key.value()).stream().findFirst();
        if (stored.isPresent() && stored.get().createdAt().isBefore(clock.instant().minus(keptFor))) {
            jdbc.update("delete from idempotency_keys where idem_key = ?", key.value());
            return Optional.empty();
        }
        return stored;
    }

    /** Deletes the keys older than the window, at most once every {@link #PURGE_AT_MOST_EVERY}. */
    private void purgeExpired() {
        Instant now = clock.instant();
        Instant last = lastPurge.get();
        if (now.isBefore(last.plus(PURGE_AT_MOST_EVERY)) || !lastPurge.compareAndSet(last, now)) {
            return;
        }
        jdbc.update("delete from idempotency_keys where created_at < ?", Timestamp.from(now.minus(keptFor)));
    }

    /** SHA-256 of the request as parsed (so whitespace, field order and an omitted default protocol do not count). */
    private String fingerprint(PlaceOrder order) {
        PlaceOrder normal = new PlaceOrder(order.customerId(), order.sku(), order.quantity(), order.protocolOrDefault());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(normal).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static ResponseStatusException reused(IdempotencyKey key) {
        return new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, IdempotencyKey.HEADER + " '"
                + key.value() + "' was used with another request; a key names one request (use a new key for a new "
                + "order)");
    }
}
