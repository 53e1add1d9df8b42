package io.dtxlab.platform.idempotency;

import java.net.URI;
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
import java.util.function.Function;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code Idempotency-Key} rules (IETF draft-ietf-httpapi-idempotency-key-header), kept in the node's
 * {@code idempotency_keys} table (each service that takes keys creates it in its own migration: {@code idem_key},
 * {@code fingerprint}, {@code resource_ref}, {@code http_status}, {@code answer}, {@code created_at}):
 * <ul>
 * <li>the same key with the same request answers the first final answer again (status and body), and nothing is
 * done a second time;</li>
 * <li>the same key with another request: 422; the same key while a request with it is being answered by this node:
 * 409; nothing is done in either;</li>
 * <li>a key is kept for {@link IdempotencyProperties#keysKeptFor()} from its first use; an older one counts as
 * unknown, and old keys are deleted when a new key is stored, at most once a minute (no poll).</li>
 * </ul>
 * Two ways to store a key, one per kind of work:
 * <ul>
 * <li>work done in one local transaction (a restock, a deposit): {@link Claim#answered} inside that transaction, so
 * the change and the key commit together or not at all;</li>
 * <li>work that spans nodes (an order: a global transaction): {@link Claim#reserve} commits the key with the ids the
 * work will use before it starts, and {@link Claim#answered} stores the final answer after it; a retry that finds
 * no final answer resumes the work under the same ids ({@link Claim#resourceRef}).</li>
 * </ul>
 * Only answers the caller calls final are stored; a refused request (4xx) stores nothing, so the same key may be sent
 * again with a corrected request.
 */
@Component
public class IdempotencyKeys {

    private static final Duration PURGE_AT_MOST_EVERY = Duration.ofMinutes(1);
    /** The longest answer body stored ({@code answer varchar(8000)}). */
    public static final int MAX_ANSWER = 8000;

    private record Stored(String fingerprint, String resourceRef, Integer status, String answer, Instant createdAt) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Duration keptFor;
    private final Clock clock;
    /** Keys whose request this process is answering now; empty after a restart (nothing is in flight then). */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.EPOCH);

    @Autowired
    public IdempotencyKeys(JdbcTemplate jdbc, ObjectMapper json, IdempotencyProperties properties) {
        this(jdbc, json, properties.keysKeptFor(), Clock.systemUTC());
    }

    /** @param keptFor how long a key is remembered from its first use */
    public IdempotencyKeys(JdbcTemplate jdbc, ObjectMapper json, Duration keptFor, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.keptFor = keptFor;
        this.clock = clock;
    }

    /**
     * A request's fingerprint: SHA-256 (hex) of {@code request} written as JSON. Pass the request as parsed and with
     * everything that names it (path variables as well as the body, defaults filled in), so that whitespace, field
     * order and an omitted default do not count, and the same key for another target is another request.
     */
    public String fingerprint(Object request) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Claims {@code key} for the request with {@code fingerprint} until the claim is closed (close it once the
     * request is answered, also when it failed: use try-with-resources).
     *
     * @throws ResponseStatusException 409 if a request with the key is in flight here, 422 if the key was used with
     *         another request (nothing is claimed then)
     */
    public Claim claim(IdempotencyKey key, String fingerprint) {
        if (!inFlight.add(key.value())) {
            find(key).filter(s -> !s.fingerprint().equals(fingerprint)).ifPresent(s -> {
                throw reused(key);
            });
            throw new ResponseStatusException(HttpStatus.CONFLICT, "a request with " + IdempotencyKey.HEADER + " '"
                    + key.value() + "' is still in flight; retry once it is answered");
        }
        try {
            Stored stored = find(key).orElse(null);
            if (stored != null && !stored.fingerprint().equals(fingerprint)) {
                throw reused(key);
            }
            return new Claim(key, fingerprint, stored);
        } catch (RuntimeException e) {
            inFlight.remove(key.value());
            throw e;
        }
    }

    /**
     * Runs a write done in one local transaction at most once per {@code Idempotency-Key}. Without a key
     * ({@code header} null), {@code work} runs with a null claim. With one, a stored answer is given again (with
     * {@code created} as its {@code Location} if it was a 201) and {@code work} does not run; otherwise {@code work}
     * runs with the claim, and must call {@link Claim#answered} last in its transaction.
     *
     * @param request everything that names the request, as parsed (see {@link #fingerprint})
     * @throws ResponseStatusException 400 for a malformed key, 409 and 422 as {@link #claim} throws them
     */
    public <T> ResponseEntity<T> once(String header, Object request, Class<T> type, URI created,
            Function<Claim, ResponseEntity<T>> work) {
        Optional<IdempotencyKey> key = IdempotencyKey.ofHeader(header);
        if (key.isEmpty()) {
            return work.apply(null);
        }
        try (Claim claim = claim(key.get(), fingerprint(request))) {
            Optional<Replay<T>> replay = claim.replay(type);
            if (replay.isPresent()) {
                return replay.get().toResponse(replay.get().status() == 201 ? created : null);
            }
            return work.apply(claim);
        }
    }

    /** The first answer, to be given again with {@code Idempotent-Replayed: true}. */
    public record Replay<T>(int status, T body) {

        /** The answer again: its status and body, the {@code Idempotent-Replayed} header, and {@code location}. */
        public ResponseEntity<T> toResponse(URI location) {
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).header(IdempotencyKey.REPLAYED, "true");
            if (location != null) {
                answer.location(location);
            }
            return answer.body(body);
        }
    }

    /** A key held by one request of this process, from {@link #claim} until {@link #close}. */
    public final class Claim implements AutoCloseable {

        private final IdempotencyKey key;
        private final String fingerprint;
        private Stored stored;

        private Claim(IdempotencyKey key, String fingerprint, Stored stored) {
            this.key = key;
            this.fingerprint = fingerprint;
            this.stored = stored;
        }

        /** The first answer, if one was stored: give it again and do nothing. */
        public <T> Optional<Replay<T>> replay(Class<T> type) {
            if (stored == null || stored.status() == null) {
                return Optional.empty();
            }
            return Optional.of(new Replay<>(stored.status(), json.readValue(stored.answer(), type)));
        }

        /**
         * What a first request with this key {@link #reserve reserved} and did not answer finally (it answered 202 or
         * 503, or the node died mid-request): resume that work under it. Empty for a new key.
         */
        public Optional<String> resourceRef() {
            return stored == null ? Optional.empty() : Optional.ofNullable(stored.resourceRef());
        }

        /**
         * Stores the key with {@code resourceRef} (the ids the work will use, e.g. an order's id and xid) and commits
         * it, before the work starts: call it outside any transaction. A retry then finds the ids.
         *
         * @throws IllegalStateException if the key is stored already
         * @throws ResponseStatusException 409 if a request on another node sharing this database stored it first
         */
        public void reserve(String resourceRef) {
            if (stored != null) {
                throw new IllegalStateException("key '" + key.value() + "' is stored already");
            }
            Instant now = clock.instant();
            insert(resourceRef, null, null, now);
            stored = new Stored(fingerprint, resourceRef, null, null, now);
        }

        /**
         * Stores the final answer given under the key: a retry answers it again. Inside the caller's transaction if
         * there is one, so the work and the key commit together (call it last in the transaction that did the work).
         *
         * @throws ResponseStatusException 409 if a concurrent request stored the key first (the caller's transaction
         *         then rolls back)
         */
        public void answered(int status, Object body) {
            String answer = json.writeValueAsString(body);
            if (answer.length() > MAX_ANSWER) {
                throw new IllegalStateException("an answer of " + answer.length() + " characters cannot be stored "
                        + "under an Idempotency-Key (at most " + MAX_ANSWER + ")");
            }
            if (stored == null) {
                Instant now = clock.instant();
                insert(null, status, answer, now);
                stored = new Stored(fingerprint, null, status, answer, now);
            } else {
                jdbc.update("update idempotency_keys set http_status = ?, answer = ? where idem_key = ?", status,
                        answer, key.value());
                stored = new Stored(fingerprint, stored.resourceRef(), status, answer, stored.createdAt());
            }
        }

        /** Releases the key: a retry is no longer "in flight". */
        @Override
        public void close() {
            inFlight.remove(key.value());
        }

        private void insert(String resourceRef, Integer status, String answer, Instant now) {
            purgeExpired();
            try {
                jdbc.update("insert into idempotency_keys (idem_key, fingerprint, resource_ref, http_status, answer, "
                        + "created_at) values (?, ?, ?, ?, ?, ?)", key.value(), fingerprint, resourceRef, status,
                        answer, Timestamp.from(now));
            } catch (DuplicateKeyException raced) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "a concurrent request stored "
                        + IdempotencyKey.HEADER + " '" + key.value() + "' first; nothing was done, send again", raced);
            }
        }
    }

    /** A stored key within the window; an older one counts as unknown (and is deleted, to be stored anew). */
    private Optional<Stored> find(IdempotencyKey key) {
        Optional<Stored> stored = jdbc.query("select fingerprint, resource_ref, http_status, answer, created_at from "
                + "idempotency_keys where idem_key = ?", (rs, n) -> new Stored(rs.getString(1), rs.getString(2),
                        (Integer) rs.getObject(3), rs.getString(4), rs.getTimestamp(5).toInstant()),
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

    private static ResponseStatusException reused(IdempotencyKey key) {
        return new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, IdempotencyKey.HEADER + " '"
                + key.value() + "' was used with another request; a key names one request (use a new key for new "
                + "work)");
    }
}
