package io.dtxlab.inventory.stock;

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
 * The stock ledger's schema keeps taking entries after the connection that migrated it is gone: H2 2.4.240 evaluated
 * the old CHECK on the reason in the session that created it, so once HikariCP retired Flyway's connection (after 30
 * minutes) every restock failed until the node restarted.
 */
class StockLedgerSchemaTest {

    @Test
    void theLedgerTakesEntriesAfterTheMigratingConnectionIsClosedAndRefusesAnUnknownReason(@TempDir Path dir)
            throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("inventory") + ";WRITE_DELAY=0";
        try (Connection open = DriverManager.getConnection(url, "sa", "")) { // keeps the database open meanwhile
            // each of Flyway's connections is closed when it is done, as a retired pooled one is
            Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration/inventory").load().migrate();
            try (Connection later = DriverManager.getConnection(url, "sa", ""); Statement s = later.createStatement()) {
                s.execute("insert into stock_ledger (sku, units, reason, at) values ('WIDGET', 5, 'restock', current_timestamp)");
                assertThatThrownBy(() -> s.execute("insert into stock_ledger (sku, units, reason, at) "
                        + "values ('WIDGET', 5, 'gift', current_timestamp)")).isInstanceOf(SQLException.class);
                var rs = s.executeQuery("select count(*) from stock_ledger where reason = 'restock'");
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
