package io.dtxlab.payment.account;

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
 * The account table seen through its ledger, in plain JDBC so that thousands of accounts are read, written and
 * summed in a few statements: a deposit adds money to {@code balance} and writes an {@code account_ledger} entry,
 * and every read can show what was ever deposited. Runs inside the caller's transaction.
 */
@Component
class AccountLedger {

    /** Why money entered an account ({@code account_ledger.reason}). */
    enum Reason {
        OPENING, CREATE, DEPOSIT, SEED;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * An account's row as read.
     *
     * @param balance money free to spend now
     */
    record Row(String id, BigDecimal balance) {
    }

    /** {@code amount} was paid into account {@code id} (a new account starts with it as its balance). */
    record Entry(String id, BigDecimal amount) {
    }

    /** The rows a conservation check needs, with the ledger's sum per account. */
    record Balance(String id, BigDecimal balance, BigDecimal held, BigDecimal charged, BigDecimal deposited) {
    }

    /** Accounts per IN list when locking many. */
    private static final int IN_CHUNK = 1000;

    private static final String VIEW = "select a.id, a.balance, a.held, a.charged, "
            + "(select coalesce(sum(l.amount), 0) from account_ledger l where l.account_id = a.id) deposited "
            + "from account a ";

    private static final RowMapper<AccountView> VIEW_ROW = (rs, n) -> new AccountView(rs.getString("id"),
            rs.getBigDecimal("balance"), rs.getBigDecimal("held"), rs.getBigDecimal("charged"),
            rs.getBigDecimal("deposited"));

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final Clock clock = Clock.systemUTC();

    AccountLedger(JdbcTemplate jdbc, NamedParameterJdbcTemplate named) {
        this.jdbc = jdbc;
        this.named = named;
    }

    Optional<AccountView> view(String id) {
        return jdbc.query(VIEW + "where a.id = ?", VIEW_ROW, id).stream().findFirst();
    }

    /** The first {@code limit} accounts in id order. */
    List<AccountView> first(int limit) {
        return jdbc.query(VIEW + "order by a.id limit ?", VIEW_ROW, limit);
    }

    AccountTotals totals() {
        BigDecimal deposited = jdbc.queryForObject("select coalesce(sum(amount), 0) from account_ledger", BigDecimal.class);
        return jdbc.queryForObject("select count(*), coalesce(sum(balance), 0), coalesce(sum(held), 0), "
                + "coalesce(sum(charged), 0) from account",
                (rs, n) -> new AccountTotals(rs.getLong(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                        deposited));
    }

    /** Every account with its columns and the sum of its ledger entries, in id order: one aggregate query. */
    List<Balance> balances() {
        return jdbc.query("select a.id, a.balance, a.held, a.charged, coalesce(l.deposited, 0) deposited from account a "
                + "left join (select account_id, sum(amount) deposited from account_ledger group by account_id) l "
                + "on l.account_id = a.id order by a.id",
                (rs, n) -> new Balance(rs.getString(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                        rs.getBigDecimal(5)));
    }

    /** Locks the account's row (a concurrent prepare waits), or finds none. */
    Optional<Row> lock(String id) {
        return jdbc.query("select id, balance from account where id = ? for update", AccountLedger::row, id)
                .stream().findFirst();
    }

    /**
     * The rows of those of {@code ids} that exist, by id, without locking them (a seed of thousands must not stall
     * every order). IN lists of up to {@value #IN_CHUNK} ids: H2 finds each by the primary key (a join against an
     * array of ids would scan the table once per id).
     */
    Map<String, Row> findAll(Collection<String> ids) {
        Map<String, Row> found = new HashMap<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            named.query("select id, balance from account where id in (:ids)", Map.of("ids", chunk),
                    (ResultSet rs) -> {
                        while (rs.next()) {
                            Row row = row(rs, 0);
                            found.put(row.id(), row);
                        }
                        return null;
                    });
        }
        return found;
    }

    /**
     * New accounts, each with its first deposit as its balance; the caller records the entries. H2 reads the rows
     * from arrays ({@code table(...)}): one statement instead of a batch of thousands.
     */
    void create(List<Entry> accounts) {
        if (accounts.isEmpty()) {
            return;
        }
        jdbc.update("insert into account (id, balance, held, charged, version) select id, amount, 0, 0, 0 "
                + "from table(id varchar(64) = ?, amount decimal(19, 2) = ?)",
                accounts.stream().map(Entry::id).toArray(String[]::new),
                accounts.stream().map(Entry::amount).toArray(BigDecimal[]::new));
    }

    /** Money paid into existing accounts; the caller records the entries. */
    void deposit(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.update("merge into account a using table(id varchar(64) = ?, amount decimal(19, 2) = ?) t on a.id = t.id "
                + "when matched then update set balance = a.balance + t.amount, version = a.version + 1",
                entries.stream().map(Entry::id).toArray(String[]::new),
                entries.stream().map(Entry::amount).toArray(BigDecimal[]::new));
    }

    void record(List<Entry> entries, Reason reason) {
        if (entries.isEmpty()) {
            return;
        }
        jdbc.update("insert into account_ledger (account_id, amount, reason, at) select id, amount, ?, ? "
                + "from table(id varchar(64) = ?, amount decimal(19, 2) = ?)",
                reason.column(), Timestamp.from(clock.instant()),
                entries.stream().map(Entry::id).toArray(String[]::new),
                entries.stream().map(Entry::amount).toArray(BigDecimal[]::new));
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getString("id"), rs.getBigDecimal("balance"));
    }
}
