package io.dtxlab.order.order;

import io.dtxlab.core.commit.participant.BranchState;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/**
 * The order branch's reads and writes of the orders table, each one statement through JDBC in the participant kit's
 * local transaction (the one that also holds the branch record). Not JPA: each message paid for a persistence context,
 * a merge and a flush, and nothing in a branch's transaction reads an order back after changing it. The order
 * service's other reads ({@code GET /orders}, the audit) still go through {@link OrderRepository}; instants are bound
 * as Hibernate binds them on H2, so both read the same values.
 */
@Component
class OrderRows {

    /** An order's row as the branch needs it: whose transaction it belongs to, and its status. */
    record Row(String txId, String status) {

        /** Recorded by the order service for {@code xid} and not yet decided: its branch may still arrive. */
        boolean awaitsBranchOf(String xid) {
            return xid.equals(txId) && OrderStatus.PENDING.name().equals(status);
        }
    }

    private final JdbcTemplate jdbc;

    OrderRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** What {@link #eachBranchWithItsOrder} hands on: a branch's xid and state, its order's id and status (null if none). */
    @FunctionalInterface
    interface BranchWithItsOrder {
        void accept(String xid, BranchState state, String orderId, String status);
    }

    /**
     * Every branch of this participant with the order of its transaction, read in one streamed join (a few hundred
     * rows at a time): what the audit compares, without holding every order. It reads the participant kit's
     * {@code branch} table (its {@code xid} and {@code state} columns) in the same database.
     */
    void eachBranchWithItsOrder(BranchWithItsOrder each) {
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(
                    "select b.xid, b.state, o.id, o.status from branch b left join orders o on o.tx_id = b.xid");
            statement.setFetchSize(500);
            return statement;
        }, (RowCallbackHandler) rs -> each.accept(rs.getString(1), BranchState.valueOf(rs.getString(2)),
                rs.getString(3), rs.getString(4)));
    }

    /** The row of {@code orderId}, or null if there is none. */
    Row find(String orderId) {
        List<Row> rows = jdbc.query("select tx_id, status from orders where id = ?",
                (rs, i) -> new Row(rs.getString("tx_id"), rs.getString("status")), orderId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    void insert(String xid, OrderBranch.NewOrder order, OrderStatus status, String reason, Instant createdAt) {
        jdbc.update("insert into orders (id, tx_id, customer_id, sku, quantity, protocol, status, reason, created_at, "
                + "version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)", ps -> {
                    ps.setString(1, order.orderId());
                    ps.setString(2, xid);
                    ps.setString(3, order.customerId());
                    ps.setString(4, order.sku());
                    ps.setInt(5, order.quantity());
                    ps.setString(6, order.protocol() == null ? "2PC" : order.protocol());
                    ps.setString(7, status.name());
                    ps.setString(8, reason);
                    ps.setObject(9, createdAt, Types.TIMESTAMP_WITH_TIMEZONE);
                });
    }

    /** Sets the status and reason of {@code orderId}; returns the rows changed (0: no such order). */
    int settle(String orderId, OrderStatus status, String reason) {
        return jdbc.update("update orders set status = ?, reason = ?, version = version + 1 where id = ?",
                status.name(), reason, orderId);
    }
}
