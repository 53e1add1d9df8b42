package io.dtxlab.coordinator.log;

import io.dtxlab.contract.BranchSpec;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * This coordinator's applied copy of the replicated log: one row per transaction in its H2 file, written only by
 * {@link ReplicatedTransactionLog} as records are chosen, a batch of them in one local transaction together with the
 * last slot applied ({@code tx_log_applied}). With WRITE_DELAY=0 H2 hands each commit to the OS before returning, so
 * it survives a crash of the process (not a power loss: H2 does not fsync each commit; the Paxos acceptors' state is
 * what a majority keeps).
 */
@Component
class H2TransactionLog {

    private static final TypeReference<List<BranchSpec>> BRANCHES = new TypeReference<>() {
    };
    /** A branch's participant only: the payload is skipped while reading, never built. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    private record Participant(String participant) {
    }

    private static final TypeReference<List<Participant>> PARTICIPANTS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> VOTES = new TypeReference<>() {
    };
    private static final String COLUMNS = "xid, protocol, coordinator, epoch, branches, begun_at, decision, reason, "
            + "votes, pre_committed_at, decided_at, ended_at";
    private static final TypeReference<List<Row>> ROWS = new TypeReference<>() {
    };

    /** One tx_log row as stored (branches and votes stay JSON text): the unit of a snapshot. */
    record Row(String xid, String protocol, String coordinator, long epoch, String branches, Instant begunAt,
            String decision, String reason, String votes, Instant preCommittedAt, Instant decidedAt,
            Instant endedAt) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final TransactionTemplate tx;

    H2TransactionLog(JdbcTemplate jdbc, ObjectMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
    }

    /** The last Paxos slot this table includes (0 when none). */
    long appliedThrough() {
        return jdbc.queryForObject("select slot from tx_log_applied where id = 1", Long.class);
    }

    /**
     * Applies chosen records in order and records {@code throughSlot} as the last slot applied, in one local
     * transaction; replaying them again changes nothing. Returns, for each DECISION that came after another decision
     * of its transaction, the decision that counts (by xid).
     */
    Map<String, String> apply(List<LogEntry> entries, long throughSlot) {
        return tx.execute(status -> {
            jdbc.update("update tx_log_applied set slot = greatest(slot, ?) where id = 1", throughSlot);
            Map<String, String> overruled = new java.util.HashMap<>();
            for (LogEntry e : entries) {
                switch (e.type()) {
                    case "BEGIN" -> beginIfAbsent(e.begin());
                    case "PRE_COMMIT" -> jdbc.update("update tx_log set pre_committed_at = ? where xid = ? "
                            + "and pre_committed_at is null", Timestamp.from(e.at()), e.xid());
                    case "DECISION" -> {
                        int decided = jdbc.update("update tx_log set decision = ?, reason = ?, votes = ?, "
                                + "decided_at = ? where xid = ? and decision is null", e.decision(),
                                truncate(e.reason(), 1024), truncate(json.writeValueAsString(e.votes()), 4000),
                                Timestamp.from(e.at()), e.xid());
                        if (decided == 0) {
                            find(e.xid()).map(LoggedTransaction::decision).ifPresent(d -> overruled.put(e.xid(), d));
                        }
                    }
                    case "END" -> jdbc.update("update tx_log set ended_at = ? where xid = ? and ended_at is null",
                            Timestamp.from(e.at()), e.xid());
                    default -> throw new IllegalArgumentException("unknown record type " + e.type());
                }
            }
            return overruled;
        });
    }

    /**
     * The whole table and the slot it reaches, read in one transaction: a JSON array of {@link Row}s. Called on the
     * apply thread, the table's only writer, so the rows and the slot agree.
     */
    SnapshotRows snapshot() {
        return tx.execute(status -> {
            long through = appliedThrough();
            List<Row> rows = jdbc.query("select " + COLUMNS + " from tx_log order by begun_at, xid", (rs, n) -> new Row(
                    rs.getString("xid"), rs.getString("protocol"), rs.getString("coordinator"), rs.getLong("epoch"),
                    rs.getString("branches"), instant(rs.getTimestamp("begun_at")), rs.getString("decision"),
                    rs.getString("reason"), rs.getString("votes"), instant(rs.getTimestamp("pre_committed_at")),
                    instant(rs.getTimestamp("decided_at")), instant(rs.getTimestamp("ended_at"))));
            return new SnapshotRows(through, rows.size(), json.writeValueAsString(rows));
        });
    }

    /** A snapshot of the table: the last slot it includes, its row count and the rows as JSON. */
    record SnapshotRows(long throughSlot, int rows, String json) {
    }

    /**
     * Replaces every row with the snapshot's and records {@code throughSlot}, in one local transaction.
     *
     * @return the number of rows installed
     * @throws IllegalArgumentException if {@code rowsJson} is not a JSON array of rows (nothing changes then)
     */
    int install(long throughSlot, String rowsJson) {
        List<Row> rows;
        try {
            rows = json.readValue(rowsJson, ROWS);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("a snapshot of tx_log must be a JSON array of rows", e);
        }
        tx.executeWithoutResult(status -> {
            jdbc.update("delete from tx_log");
            jdbc.batchUpdate("insert into tx_log (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows,
                    500, (ps, r) -> {
                        ps.setString(1, r.xid());
                        ps.setString(2, r.protocol());
                        ps.setString(3, r.coordinator());
                        ps.setLong(4, r.epoch());
                        ps.setString(5, r.branches());
                        ps.setTimestamp(6, timestamp(r.begunAt()));
                        ps.setString(7, r.decision());
                        ps.setString(8, r.reason());
                        ps.setString(9, r.votes());
                        ps.setTimestamp(10, timestamp(r.preCommittedAt()));
                        ps.setTimestamp(11, timestamp(r.decidedAt()));
                        ps.setTimestamp(12, timestamp(r.endedAt()));
                    });
            jdbc.update("update tx_log_applied set slot = ? where id = 1", throughSlot);
        });
        return rows.size();
    }

    private static Timestamp timestamp(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private void beginIfAbsent(LoggedTransaction t) {
        jdbc.update("insert into tx_log (xid, protocol, coordinator, epoch, branches, begun_at) select ?, ?, ?, ?, ?, ? "
                + "where not exists (select 1 from tx_log where xid = ?)", t.xid(), t.protocol(), t.coordinator(),
                t.epoch(), json.writeValueAsString(t.branches()), Timestamp.from(t.begunAt()), t.xid());
    }

    public Optional<LoggedTransaction> find(String xid) {
        return jdbc.query("select " + COLUMNS + " from tx_log where xid = ?", this::row, xid).stream().findFirst();
    }

    public List<LoggedTransaction> unfinished() {
        return jdbc.query("select " + COLUMNS + " from tx_log where ended_at is null order by begun_at", this::row);
    }

    public List<LoggedTransaction> recent(int limit) {
        return jdbc.query("select " + COLUMNS + " from tx_log order by begun_at desc limit ?", this::row, limit);
    }

    public List<DecidedTransaction> recentDecided(int limit) {
        return jdbc.query("select xid, protocol, branches, decision, reason, ended_at from (select xid, protocol, "
                + "branches, decision, reason, ended_at, begun_at from tx_log order by begun_at desc limit ?) "
                + "where decision is not null order by begun_at desc", (rs, n) -> new DecidedTransaction(
                        rs.getString("xid"), rs.getString("protocol"),
                        json.readValue(rs.getString("branches"), PARTICIPANTS).stream()
                                .map(Participant::participant).toList(),
                        rs.getString("decision"), rs.getString("reason"), rs.getTimestamp("ended_at") != null), limit);
    }

    private LoggedTransaction row(ResultSet rs, int n) throws SQLException {
        String votes = rs.getString("votes");
        return new LoggedTransaction(rs.getString("xid"), rs.getString("protocol"), rs.getString("coordinator"),
                rs.getLong("epoch"), json.readValue(rs.getString("branches"), BRANCHES),
                instant(rs.getTimestamp("begun_at")), rs.getString("decision"), rs.getString("reason"),
                votes == null ? Map.of() : json.readValue(votes, VOTES), instant(rs.getTimestamp("pre_committed_at")),
                instant(rs.getTimestamp("decided_at")),
                instant(rs.getTimestamp("ended_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
