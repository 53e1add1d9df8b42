package io.dtxlab.order.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.participant.resource.Invariant;
import java.util.List;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The order participant's audit: each branch is joined with the order of its transaction, and an order whose status
 * does not follow its branch is named. Its own tables in an in-memory H2, reduced to the columns the audit reads.
 */
class OrderAuditTest {

    private JdbcTemplate jdbc;
    private OrderBranch branch;

    @BeforeEach
    void tables() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:order-audit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        jdbc = new JdbcTemplate(h2);
        jdbc.execute("create table branch (xid varchar(64) primary key, state varchar(32) not null)");
        jdbc.execute("create table orders (id varchar(64) primary key, tx_id varchar(64) not null unique, "
                + "status varchar(16) not null)");
        branch = new OrderBranch(null, new OrderRows(jdbc));
    }

    @Test
    void everyOrderWhoseStatusFollowsItsBranchPasses() {
        branch("tx-1", "COMMITTED", "ord-1", "CONFIRMED");
        branch("tx-2", "ABORTED", "ord-2", "REJECTED");
        branch("tx-3", "ABORTED", null, null); // an empty rollback: the order was never written
        branch("tx-4", "PREPARED", "ord-4", "PENDING");

        assertThat(audit()).singleElement().satisfies(invariant -> {
            assertThat(invariant.holds()).isTrue();
            assertThat(invariant.detail()).isEqualTo("4 branches checked");
        });
    }

    @Test
    void anOrderThatDoesNotFollowItsBranchIsNamed() {
        branch("tx-1", "COMMITTED", "ord-1", "CONFIRMED");
        branch("tx-2", "COMMITTED", "ord-2", "REJECTED");
        branch("tx-3", "PREPARED", null, null); // holds a reservation for an order that is missing

        assertThat(audit()).singleElement().satisfies(invariant -> {
            assertThat(invariant.holds()).isFalse();
            assertThat(invariant.detail()).startsWith("2 differ (3 branches checked)")
                    .contains("ord-2 is REJECTED, its branch COMMITTED")
                    .contains("tx-3 has no order, its branch PREPARED");
        });
    }

    private List<Invariant> audit() {
        return branch.invariants(Stream.empty()); // it reads its own join, not the kit's stream
    }

    private void branch(String xid, String state, String orderId, String status) {
        jdbc.update("insert into branch (xid, state) values (?, ?)", xid, state);
        if (orderId != null) {
            jdbc.update("insert into orders (id, tx_id, status) values (?, ?, ?)", orderId, xid, status);
        }
    }
}
