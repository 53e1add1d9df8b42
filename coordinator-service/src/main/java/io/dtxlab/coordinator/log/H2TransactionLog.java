package io.dtxlab.coordinator.log;

import io.dtxlab.core.commit.Decision;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The log in this coordinator's H2 file. Each write is its own auto-committed statement; with WRITE_DELAY=0 H2
 * hands it to the OS before returning, so it survives a crash of the process (not a power loss: H2 does not fsync
 * each commit).
 */
@Component
class H2TransactionLog implements TransactionLog {
    // Each coordinator's applied copy of the replicated log, written by ReplicatedTransactionLog.

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

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    H2TransactionLog(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public LogReceipt begin(LoggedTransaction t) {
        jdbc.update("insert into tx_log (xid, protocol, coordinator, epoch, branches, begun_at) values (?, ?, ?, ?, ?, ?)",
                t.xid(), t.protocol(), t.coordinator(), t.epoch(), json.writeValueAsString(t.branches()),
                Timestamp.from(t.begunAt()));
        return LogReceipt.local(null);
    }

    /** Applies a replicated BEGIN: the same record again (a replay) changes nothing. */
    void beginIfAbsent(LoggedTransaction t) {
        jdbc.update("insert into tx_log (xid, protocol, coordinator, epoch, branches, begun_at) select ?, ?, ?, ?, ?, ? "
                + "where not exists (select 1 from tx_log where xid = ?)", t.xid(), t.protocol(), t.coordinator(),
                t.epoch(), json.writeValueAsString(t.branches()), Timestamp.from(t.begunAt()), t.xid());
    }

    @Override
    public LogReceipt decide(String xid, Decision decision, String reason, Map<String, String> votes, Instant at) {
        jdbc.update("update tx_log set decision = ?, reason = ?, votes = ?, decided_at = ? "
                + "where xid = ? and decision is null", decision.name(), truncate(reason, 1024),
                truncate(json.writeValueAsString(votes), 4000), Timestamp.from(at), xid);
        return LogReceipt.local(find(xid).map(LoggedTransaction::decision).orElse(decision.name()));
    }

    @Override
    public LogReceipt preCommit(String xid, Instant at) {
        jdbc.update("update tx_log set pre_committed_at = ? where xid = ? and pre_committed_at is null",
                Timestamp.from(at), xid);
        return LogReceipt.local(null);
    }

    @Override
    public LogReceipt end(String xid, Instant at) {
        jdbc.update("update tx_log set ended_at = ? where xid = ? and ended_at is null", Timestamp.from(at), xid);
        return LogReceipt.local(null);
    }

    @Override
    public Optional<LoggedTransaction> find(String xid) {
        return jdbc.query("select " + COLUMNS + " from tx_log where xid = ?", this::row, xid).stream().findFirst();
    }

    @Override
    public List<LoggedTransaction> unfinished() {
        return jdbc.query("select " + COLUMNS + " from tx_log where ended_at is null order by begun_at", this::row);
    }

    @Override
    public List<LoggedTransaction> recent(int limit) {
        return jdbc.query("select " + COLUMNS + " from tx_log order by begun_at desc limit ?", this::row, limit);
    }

    @Override
    public List<DecidedTransaction> recentDecided(int limit) {
        return jdbc.query("select xid, protocol, branches, decision, reason from (select xid, protocol, branches, "
                + "decision, reason, begun_at from tx_log order by begun_at desc limit ?) where decision is not null "
                + "order by begun_at desc", (rs, n) -> new DecidedTransaction(rs.getString("xid"),
                        rs.getString("protocol"), json.readValue(rs.getString("branches"), PARTICIPANTS).stream()
                                .map(Participant::participant).toList(),
                        rs.getString("decision"), rs.getString("reason")), limit);
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
