package io.dtxlab.payment.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account ledger's schema keeps taking entries after the connection that migrated it is gone: H2 2.4.240 evaluated
 * the old CHECK on the reason in the session that created it, so once HikariCP retired Flyway's connection (after 30
 * minutes) every deposit failed until the node restarted.
 */
class AccountLedgerSchemaTest {

    @Test
    void theLedgerTakesEntriesAfterTheMigratingConnectionIsClosedAndRefusesAnUnknownReason(@TempDir Path dir)
            throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("payment") + ";WRITE_DELAY=0";
        try (Connection open = DriverManager.getConnection(url, "sa", "")) { // keeps the database open meanwhile
            // each of Flyway's connections is closed when it is done, as a retired pooled one is
            Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/payment").load().migrate();
            try (Connection later = DriverManager.getConnection(url, "sa", ""); Statement s = later.createStatement()) {
                s.execute("insert into account_ledger (account_id, amount, reason, at) values ('alice', 5.00, 'deposit', current_timestamp)");
                assertThatThrownBy(() -> s.execute("insert into account_ledger (account_id, amount, reason, at) "
                        + "values ('alice', 5.00, 'gift', current_timestamp)")).isInstanceOf(SQLException.class);
                var rs = s.executeQuery("select count(*) from account_ledger where reason = 'deposit'");
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
