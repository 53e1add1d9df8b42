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
 * {@link ReplicatedTransactionLog} as records are chosen, a batch of them in one local transaction. With
 * WRITE_DELAY=0 H2 hands each commit to the OS before returning, so it survives a crash of the process (not a power
 * loss: H2 does not fsync each commit; the Paxos acceptors' state is what a majority keeps).
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

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final TransactionTemplate tx;

    H2TransactionLog(JdbcTemplate jdbc, ObjectMapper json, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
    }

    /**
     * Applies chosen records in order, in one local transaction; replaying them again changes nothing. Returns, for
     * each DECISION that came after another decision of its transaction, the decision that counts (by xid).
     */
    Map<String, String> apply(List<LogEntry> entries) {
        return tx.execute(status -> {
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
