package io.dtxlab.coordinator.consensus;

import static org.assertj.core.api.Assertions.assertThat;

import io.dtxlab.core.paxos.AcceptedValue;
import io.dtxlab.core.paxos.Ballot;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.core.paxos.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * A data directory from a build that kept the acceptor's state in H2: the first start imports it into the log file,
 * so no promise or accepted value is forgotten across the upgrade; a start that finds nothing to import writes no file.
 */
class PaxosStorageImportTest {

    @TempDir
    Path dir;

    @Test
    void theOldTablesBecomeTheLogFileAndAreEmptied() throws IOException {
        JdbcTemplate jdbc = oldSchema("import");
        jdbc.update("update paxos_promise set round = 4, node = 'coordinator-2' where id = 1");
        jdbc.update("insert into paxos_accepted (slot, round, node, val) values (8, 4, 'coordinator-2', 'BEGIN tx-8')");
        jdbc.update("insert into paxos_accepted (slot, round, node, val) values (9, 4, 'coordinator-2', null)");
        jdbc.update("insert into paxos_chosen (slot, val) values (8, 'BEGIN tx-8')");
        jdbc.update("update paxos_compaction set compacted_through = 7 where id = 1");
        Path file = dir.resolve("paxos").resolve(FilePaxosStorage.FILE);

        PaxosStorageConfiguration.importFromH2(file, jdbc);

        try (FilePaxosStorage storage = FilePaxosStorage.open(file, false, FilePaxosStorage.MIN_REWRITE)) {
            assertThat(storage.promised()).isEqualTo(new Ballot(4, "coordinator-2"));
            assertThat(storage.accepted()).containsExactly(
                    new AcceptedValue(8, new Ballot(4, "coordinator-2"), Value.of("BEGIN tx-8")),
                    new AcceptedValue(9, new Ballot(4, "coordinator-2"), Value.NOOP));
            assertThat(storage.chosen()).containsExactly(new SlotValue(8, Value.of("BEGIN tx-8")));
            assertThat(storage.compactedThrough()).isEqualTo(7);
        }
        assertThat(jdbc.queryForObject("select count(*) from paxos_accepted", Long.class)).isZero();
        assertThat(Files.exists(file.resolveSibling(FilePaxosStorage.FILE + ".import"))).isFalse();
    }

    @Test
    void aNodeThatNeverPromisedAnythingImportsNothing() throws IOException {
        JdbcTemplate jdbc = oldSchema("empty");
        Path file = dir.resolve("paxos").resolve(FilePaxosStorage.FILE);

        PaxosStorageConfiguration.importFromH2(file, jdbc);

        assertThat(Files.exists(file)).isFalse();
    }

    private static JdbcTemplate oldSchema(String name) {
        DriverManagerDataSource data = new DriverManagerDataSource("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/coordinator/V3__paxos.sql"),
                new ClassPathResource("db/migration/coordinator/V4__log_compaction.sql")).execute(data);
        return new JdbcTemplate(data);
    }
}
