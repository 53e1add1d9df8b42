package io.dtxlab.order.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.platform.idempotency.IdempotencyKey;
import io.dtxlab.platform.idempotency.IdempotencyKeys;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Idempotency-Key rules as POST /orders uses them (the platform's store, on the order service's real table as its
 * own migrations make it): the key is committed with the order's ids before the order is placed.
 */
class IdempotencyKeysTest {

    static final PlaceOrder ORDER = new PlaceOrder("alice", "WIDGET", 1, "2PC");
    static final IdempotencyKey KEY = IdempotencyKey.parse("\"key-1\"");

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    JdbcTemplate jdbc;
    IdempotencyKeys keys;

    @BeforeEach
    void table() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:keys-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(h2);
        for (String migration : new String[] {"V3__idempotency_keys.sql", "V4__idempotency_keys_shared_shape.sql"}) {
            jdbc.execute(Files.readString(Path.of("src/main/resources/db/migration/order/" + migration)));
        }
        keys = restarted();
    }

    @Test
    void aNewKeyIsStoredWithTheOrdersIdsBeforeTheOrderIsPlaced() {
        var ids = OrderPlacement.OrderIds.fresh();

        try (var claim = keys.claim(KEY, keys.fingerprint(ORDER))) {
            assertThat(claim.replay(PlacedOrder.class)).isEmpty();
            assertThat(claim.resourceRef()).isEmpty();
            claim.reserve(ids.reference());
        }

        assertThat(jdbc.queryForObject("select resource_ref from idempotency_keys where idem_key = 'key-1'",
                String.class)).isEqualTo(ids.orderId() + " " + ids.xid());
    }

    @Test
    void theSameKeyAndRequestAnswerTheFirstFinalAnswerAgain() {
        var ids = OrderPlacement.OrderIds.fresh();
        PlacedOrder first = placed(ids);
        try (var claim = keys.claim(KEY, keys.fingerprint(ORDER))) {
            claim.reserve(ids.reference());
            claim.answered(201, first);
        }

        try (var again = keys.claim(KEY, keys.fingerprint(new PlaceOrder("alice", "WIDGET", 1, "2PC")))) {
            assertThat(again.replay(PlacedOrder.class)).contains(new IdempotencyKeys.Replay<>(201, first));
        }
    }

    @Test
    void aKeyWithoutAFinalAnswerResumesTheSameOrderAfterARestart() {
        // the node died mid-order: the key is stored, nothing answered, nothing in flight in the new process
        var ids = OrderPlacement.OrderIds.fresh();
        keys.claim(KEY, keys.fingerprint(ORDER)).reserve(ids.reference());

        try (var retry = restarted().claim(KEY, keys.fingerprint(ORDER))) {
            assertThat(retry.replay(PlacedOrder.class)).isEmpty();
            assertThat(retry.resourceRef().map(OrderPlacement.OrderIds::ofReference)).contains(ids);
        }
    }

    @Test
    void aKeyStoredBeforeTheSharedShapeStillResumesItsOrder() throws Exception {
        // a key of the first table shape (order_id, xid), moved by the migration into resource_ref
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:old-keys-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        JdbcTemplate old = new JdbcTemplate(h2);
        old.execute(Files.readString(Path.of("src/main/resources/db/migration/order/V3__idempotency_keys.sql")));
        old.update("insert into idempotency_keys (idem_key, fingerprint, order_id, xid, created_at) values "
                + "('key-1', ?, 'ord-1', 'tx-1', ?)", keys.fingerprint(ORDER), java.sql.Timestamp.from(clock.now));
        old.execute(Files.readString(Path.of(
                "src/main/resources/db/migration/order/V4__idempotency_keys_shared_shape.sql")));

        try (var retry = new IdempotencyKeys(old, JsonMapper.builder().build(), Duration.ofHours(24), clock)
                .claim(KEY, keys.fingerprint(ORDER))) {
            assertThat(retry.resourceRef().map(OrderPlacement.OrderIds::ofReference))
                    .contains(new OrderPlacement.OrderIds("ord-1", "tx-1"));
        }
    }

    @Test
    void theSameKeyWithAnotherRequestIs422() {
        keys.claim(KEY, keys.fingerprint(ORDER)).close();
        try (var claim = keys.claim(KEY, keys.fingerprint(ORDER))) {
            claim.reserve(OrderPlacement.OrderIds.fresh().reference());
        }

        assertThatThrownBy(() -> keys.claim(KEY, keys.fingerprint(new PlaceOrder("alice", "WIDGET", 2, "2PC"))))
                .isInstanceOfSatisfying(ResponseStatusException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(422));
    }

    @Test
    void aKeyWhoseRequestIsInFlightIs409() {
        keys.claim(KEY, keys.fingerprint(ORDER));

        assertThatThrownBy(() -> keys.claim(KEY, keys.fingerprint(ORDER)))
                .isInstanceOfSatisfying(ResponseStatusException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(409));
    }

    @Test
    void aKeyOlderThanTheWindowIsForgottenAndPurgedWhenANewKeyIsStored() {
        try (var claim = keys.claim(KEY, keys.fingerprint(ORDER))) {
            claim.reserve(OrderPlacement.OrderIds.fresh().reference());
        }
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        try (var claim = keys.claim(IdempotencyKey.parse("old-2"), keys.fingerprint(ORDER))) {
            claim.reserve(OrderPlacement.OrderIds.fresh().reference());
        }
        clock.now = clock.now.plus(Duration.ofHours(25));

        var ids = OrderPlacement.OrderIds.fresh();
        try (var claim = keys.claim(KEY, keys.fingerprint(new PlaceOrder("bob", "GADGET", 3, "2PC")))) {
            assertThat(claim.resourceRef()).as("forgotten: a new request").isEmpty();
            claim.reserve(ids.reference());
        }

        assertThat(jdbc.queryForObject("select count(*) from idempotency_keys", Integer.class))
                .as("only the key just stored is left").isEqualTo(1);
    }

    @Test
    void aKeyIsOneTo255VisibleAsciiCharactersQuotedOrNot() {
        assertThat(IdempotencyKey.parse("\"8e03978e-40d5\"").value()).isEqualTo("8e03978e-40d5");
        assertThat(IdempotencyKey.parse("8e03978e-40d5").value()).isEqualTo("8e03978e-40d5");
        assertThat(IdempotencyKey.parse("k".repeat(255)).value()).hasSize(255);
        for (String bad : new String[] {"", "\"\"", "k".repeat(256), "with space", "caf\u00e9", "tab\there"}) {
            assertThatThrownBy(() -> IdempotencyKey.parse(bad)).as("'%s'", bad)
                    .isInstanceOfSatisfying(ResponseStatusException.class,
                            e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
        }
    }

    private IdempotencyKeys restarted() {
        return new IdempotencyKeys(jdbc, JsonMapper.builder().build(), Duration.ofHours(24), clock);
    }

    private static PlacedOrder placed(OrderPlacement.OrderIds ids) {
        return new PlacedOrder(ids.orderId(), ids.xid(), "2PC", "CONFIRMED", null, "alice", "WIDGET", 1,
                new BigDecimal("2.50"), new BigDecimal("2.50"), "coordinator-1", 12);
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
