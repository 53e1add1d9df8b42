package io.dtxlab.order.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dtxlab.order.OrderProperties;
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

/** The Idempotency-Key rules of POST /orders, on the real table (H2, the service's own migration). */
class IdempotencyKeysTest {

    static final PlaceOrder ORDER = new PlaceOrder("alice", "WIDGET", 1, null);
    static final IdempotencyKey KEY = IdempotencyKey.parse("\"key-1\"");

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    JdbcTemplate jdbc;
    IdempotencyKeys keys;

    @BeforeEach
    void table() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:keys-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(h2);
        jdbc.execute(Files.readString(Path.of("src/main/resources/db/migration/order/V3__idempotency_keys.sql")));
        keys = new IdempotencyKeys(jdbc, JsonMapper.builder().build(), new OrderProperties(Duration.ofHours(24)), clock);
    }

    @Test
    void aNewKeyIsStoredWithTheOrdersIdsBeforeTheOrderIsPlaced() {
        var ids = OrderPlacement.OrderIds.fresh();

        var claim = keys.claim(KEY, ORDER, ids);

        assertThat(claim).isEqualTo(new IdempotencyKeys.Place(ids, false));
        assertThat(jdbc.queryForObject("select xid from idempotency_keys where idem_key = 'key-1'", String.class))
                .isEqualTo(ids.xid());
    }

    @Test
    void theSameKeyAndRequestAnswerTheFirstFinalAnswerAgain() {
        var ids = OrderPlacement.OrderIds.fresh();
        keys.claim(KEY, ORDER, ids);
        PlacedOrder first = placed(ids);
        keys.answered(KEY, 201, first);
        keys.release(KEY);

        var again = keys.claim(KEY, new PlaceOrder("alice", "WIDGET", 1, "2PC"), OrderPlacement.OrderIds.fresh());

        assertThat(again).isEqualTo(new IdempotencyKeys.Replay(201, first));
    }

    @Test
    void aKeyWithoutAFinalAnswerResumesTheSameOrderAfterARestart() {
        // the node died mid-order: the key is stored, nothing answered, nothing in flight in the new process
        var ids = OrderPlacement.OrderIds.fresh();
        keys.claim(KEY, ORDER, ids);
        IdempotencyKeys restarted = new IdempotencyKeys(jdbc, JsonMapper.builder().build(),
                new OrderProperties(Duration.ofHours(24)), clock);

        var retry = restarted.claim(KEY, ORDER, OrderPlacement.OrderIds.fresh());

        assertThat(retry).isEqualTo(new IdempotencyKeys.Place(ids, true));
    }

    @Test
    void theSameKeyWithAnotherRequestIs422() {
        keys.claim(KEY, ORDER, OrderPlacement.OrderIds.fresh());
        keys.release(KEY);

        assertThatThrownBy(() -> keys.claim(KEY, new PlaceOrder("alice", "WIDGET", 2, null),
                OrderPlacement.OrderIds.fresh()))
                .isInstanceOfSatisfying(ResponseStatusException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(422));
    }

    @Test
    void aKeyWhoseRequestIsInFlightIs409() {
        keys.claim(KEY, ORDER, OrderPlacement.OrderIds.fresh());

        assertThatThrownBy(() -> keys.claim(KEY, ORDER, OrderPlacement.OrderIds.fresh()))
                .isInstanceOfSatisfying(ResponseStatusException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(409));
    }

    @Test
    void aKeyOlderThanTheWindowIsForgottenAndPurgedWhenANewKeyIsStored() {
        keys.claim(KEY, ORDER, OrderPlacement.OrderIds.fresh());
        keys.release(KEY);
        keys.claim(IdempotencyKey.parse("old-2"), ORDER, OrderPlacement.OrderIds.fresh());
        clock.now = clock.now.plus(Duration.ofHours(25));

        var ids = OrderPlacement.OrderIds.fresh();
        var claim = keys.claim(KEY, new PlaceOrder("bob", "GADGET", 3, null), ids);

        assertThat(claim).isEqualTo(new IdempotencyKeys.Place(ids, false));
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
