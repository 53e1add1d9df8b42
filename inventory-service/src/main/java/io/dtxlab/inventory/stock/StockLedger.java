package io.dtxlab.inventory.stock;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The stock table seen through its ledger, in plain JDBC so that thousands of SKUs are read, written and summed
 * in a few statements: a stocking adds units to {@code available} and writes a {@code stock_ledger} entry, and
 * every read can show what was ever stocked. Runs inside the caller's transaction.
 */
@Component
class StockLedger {

    /** Why units entered the stock ({@code stock_ledger.reason}). */
    enum Reason {
        OPENING, CREATE, RESTOCK, SEED;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A SKU's row as read.
     *
     * @param total available + reserved + sold: only a stocking changes it (orders move units between the three)
     */
    record Row(String sku, BigDecimal unitPrice, int available, long total) {
    }

    /** {@code units} units of {@code sku} entered the stock. */
    record Entry(String sku, int units) {
    }

    /** A SKU to create with its first units. */
    record NewSku(String sku, BigDecimal unitPrice, int available) {
    }

    /** The rows a conservation check needs, with the ledger's sum per SKU. */
    record Balance(String sku, int available, int reserved, int sold, long stocked) {
    }

    private static final String VIEW = "select s.sku, s.unit_price, s.available, s.reserved, s.sold, "
            + "(select coalesce(sum(cast(l.units as bigint)), 0) from stock_ledger l where l.sku = s.sku) stocked "
            + "from stock s ";

    private static final RowMapper<StockView> VIEW_ROW = (rs, n) -> new StockView(rs.getString("sku"),
            rs.getBigDecimal("unit_price"), rs.getInt("available"), rs.getInt("reserved"), rs.getInt("sold"),
            rs.getLong("stocked"));

    /** SKUs per IN list when locking many. */
    private static final int IN_CHUNK = 1000;

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final Clock clock = Clock.systemUTC();

    StockLedger(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    Optional<StockView> view(String sku) {
        return jdbc.query(VIEW + "where s.sku = ?", VIEW_ROW, sku).stream().findFirst();
    }

    /** The first {@code limit} SKUs in SKU order. */
    List<StockView> first(int limit) {
        return jdbc.query(VIEW + "order by s.sku limit ?", VIEW_ROW, limit);
    }

    StockTotals totals() {
        long stocked = jdbc.queryForObject("select coalesce(sum(cast(units as bigint)), 0) from stock_ledger", Long.class);
        return jdbc.queryForObject("select count(*), coalesce(sum(cast(available as bigint)), 0), "
                + "coalesce(sum(cast(reserved as bigint)), 0), coalesce(sum(cast(sold as bigint)), 0) from stock",
                (rs, n) -> new StockTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), stocked));
    }

    /** Every SKU with its columns and the sum of its ledger entries, in SKU order: one aggregate query. */
    List<Balance> balances() {
        return jdbc.query("select s.sku, s.available, s.reserved, s.sold, coalesce(l.stocked, 0) stocked from stock s "
                + "left join (select sku, sum(cast(units as bigint)) stocked from stock_ledger group by sku) l "
                + "on l.sku = s.sku order by s.sku",
                (rs, n) -> new Balance(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getLong(5)));
    }

    /** Locks the SKU's row (a concurrent prepare waits), or finds none. */
    Optional<Row> lock(String sku) {
        return jdbc.query("select sku, unit_price, available, reserved, sold from stock where sku = ? for update",
                StockLedger::row, sku).stream().findFirst();
    }

    /**
     * The rows of those of {@code skus} that exist, by SKU, without locking them (a seed of thousands must not stall
     * every order). IN lists of up to {@value #IN_CHUNK} SKUs: H2 finds each by the primary key (a join against an
     * array of SKUs would scan the table once per SKU).
     */
    Map<String, Row> findAll(Collection<String> skus) {
        Map<String, Row> found = new HashMap<>();
        List<String> all = new ArrayList<>(skus);
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            named.query("select sku, unit_price, available, reserved, sold from stock where sku in (:skus)",
                    Map.of("skus", chunk), (ResultSet rs) -> {
                        while (rs.next()) {
                            Row row = row(rs, 0);
                            found.put(row.sku(), row);
                        }
                        return null;
                    });
        }
        return found;
    }

    /**
     * New SKUs with their first units; the caller records the entries. H2 reads the rows from arrays
     * ({@code table(...)}): one statement instead of a batch of thousands.
     */
    void create(List<NewSku> items) {
        if (items.isEmpty()) {
            return;
        }
        jdbc.update("insert into stock (sku, unit_price, available, reserved, sold, version) "
                + "select sku, unit_price, available, 0, 0, 0 "
                + "from table(sku varchar(64) = ?, unit_price decimal(19, 2) = ?, available int = ?)",
                items.stream().map(NewSku::sku).toArray(String[]::new),
                items.stream().map(NewSku::unitPrice).toArray(BigDecimal[]::new),
                items.stream().map(NewSku::available).toArray(Integer[]::new));
    }

    /** More units for existing SKUs; the caller records the entries. */
    void restock(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.update("merge into stock s using table(sku varchar(64) = ?, units int = ?) t on s.sku = t.sku "
                + "when matched then update set available = s.available + t.units, version = s.version + 1",
                entries.stream().map(Entry::sku).toArray(String[]::new),
                entries.stream().map(Entry::units).toArray(Integer[]::new));
    }

    void record(List<Entry> entries, Reason reason) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.update("insert into stock_ledger (sku, units, reason, at) select sku, units, ?, ? "
                + "from table(sku varchar(64) = ?, units int = ?)",
                reason.column(), Timestamp.from(clock.instant()),
                entries.stream().map(Entry::sku).toArray(String[]::new),
                entries.stream().map(Entry::units).toArray(Integer[]::new));
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("sku"), rs.getBigDecimal("unit_price"), rs.getInt("available"),
                (long) rs.getInt("available") + rs.getInt("reserved") + rs.getInt("sold"));
    }
}
