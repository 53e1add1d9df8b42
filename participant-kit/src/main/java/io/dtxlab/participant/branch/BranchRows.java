package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The branch table on the message path: one read and one write per message, through JDBC in the caller's local
 * transaction (the one that also holds the resource's effect). Not JPA: every message paid for a persistence context,
 * a merge and a flush that dirty-checks the batch's every record, and nothing here needs them. The queries
 * (recovery, audit, {@code GET /branches}) still read the same rows through {@link BranchRepository}.
 * Instants are bound as Hibernate binds them on H2 ({@code TIMESTAMP WITH TIME ZONE}, stored in the session's zone),
 * so both read the same values. Each update checks and bumps the row's version, as {@code @Version} does.
 */
@Component
class BranchRows {

    private static final String COLUMNS = "xid, protocol, state, payload, coordinator, epoch, reason, empty_rollback, "
            + "prepared_at, ended_at, updated_at, version";
    /** What a message may change, in the order {@link #bindMutable} binds them. */
    private static final String MUTABLE = "state, coordinator, epoch, reason, empty_rollback, prepared_at, ended_at, "
            + "updated_at";
    private static final String SET_MUTABLE = MUTABLE.replace(", ", " = ?, ") + " = ?";

    private final JdbcTemplate jdbc;

    BranchRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Runs {@code work} with H2 producing query results lazily, row by row as they are read, instead of building each
     * whole result in memory first (H2's {@code LAZY_QUERY_EXECUTION}, for this connection only, set back after): for
     * reads of every branch. Call it inside a transaction, so {@code work}'s queries run on the same connection.
     */
    <T> T lazily(Supplier<T> work) {
        jdbc.execute("set lazy_query_execution true");
        try {
            return work.get();
        } finally {
            jdbc.execute("set lazy_query_execution false");
        }
    }

    Optional<Branch> find(String xid) {
        List<Branch> found = jdbc.query("select " + COLUMNS + " from branch where xid = ?", BranchRows::branch, xid);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    boolean exists(String xid) {
        return !jdbc.queryForList("select 1 from branch where xid = ?", Integer.class, xid).isEmpty();
    }

    /**
     * Inserts a new branch or updates a stored one.
     *
     * @throws OptimisticLockingFailureException if the row changed since {@code branch} was read
     */
    void save(Branch branch) {
        if (branch.version() == null) {
            jdbc.update("insert into branch (xid, protocol, payload, " + MUTABLE + ", version) "
                    + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", ps -> {
                        ps.setString(1, branch.xid());
                        ps.setString(2, branch.protocol());
                        ps.setString(3, branch.payload());
                        bindMutable(ps, 4, branch);
                    });
            branch.written(0);
            return;
        }
        long version = branch.version();
        int updated = jdbc.update("update branch set " + SET_MUTABLE + ", version = ? where xid = ? and version = ?",
                ps -> {
                    int next = bindMutable(ps, 1, branch);
                    ps.setLong(next, version + 1);
                    ps.setString(next + 1, branch.xid());
                    ps.setLong(next + 2, version);
                });
        if (updated != 1) {
            throw new OptimisticLockingFailureException("branch " + branch.xid() + " changed since it was read");
        }
        branch.written(version + 1);
    }

    /** Binds the {@link #MUTABLE} columns from {@code first} on; returns the next parameter index. */
    private static int bindMutable(PreparedStatement ps, int first, Branch branch) throws SQLException {
        ps.setString(first, branch.state().name());
        ps.setString(first + 1, branch.coordinator());
        ps.setLong(first + 2, branch.epoch());
        ps.setString(first + 3, branch.reason());
        ps.setBoolean(first + 4, branch.isEmptyRollback());
        ps.setObject(first + 5, branch.preparedAt(), Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setObject(first + 6, branch.endedAt(), Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setObject(first + 7, branch.updatedAt(), Types.TIMESTAMP_WITH_TIMEZONE);
        return first + 8;
    }

    private static Branch branch(ResultSet rs, int row) throws SQLException {
        return Branch.restored(rs.getString("xid"), rs.getString("protocol"), BranchState.valueOf(rs.getString("state")),
                rs.getString("payload"), rs.getString("coordinator"), rs.getLong("epoch"), rs.getString("reason"),
                rs.getBoolean("empty_rollback"), rs.getObject("prepared_at", Instant.class),
                rs.getObject("ended_at", Instant.class), rs.getObject("updated_at", Instant.class),
                rs.getLong("version"));
    }
}
