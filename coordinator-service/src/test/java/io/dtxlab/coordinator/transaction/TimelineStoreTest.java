package io.dtxlab.coordinator.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dtxlab.contract.BranchSpec;
import io.dtxlab.coordinator.CoordinatorProperties;
import io.dtxlab.core.commit.CommitProtocol;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The timelines a coordinator stores in its H2 file: each batch it writes keeps only the {@code timelines-kept} most
 * recent, deleting the older ones in the same local transaction. A real H2 file, migrated as a node migrates it.
 */
class TimelineStoreTest {

    private static final int KEPT = 3;

    @TempDir
    Path dir;
    JdbcTemplate jdbc;
    TimelineStore store;

    @BeforeEach
    void openTheFile() {
        DriverManagerDataSource data = new DriverManagerDataSource(
                "jdbc:h2:file:" + dir.resolve("coordinator") + ";WRITE_DELAY=0", "sa", "");
        Flyway.configure().dataSource(data)
                .locations("classpath:db/migration/platform", "classpath:db/migration/coordinator").load().migrate();
        jdbc = new JdbcTemplate(data);
        // the node's defaults, but for the limit under test
        CoordinatorProperties properties = new Binder(new MapConfigurationPropertySource(
                Map.of("dtx.coordinator.timelines-kept", String.valueOf(KEPT))))
                .bindOrCreate("dtx.coordinator", CoordinatorProperties.class);
        store = new TimelineStore(jdbc, new DataSourceTransactionManager(data), JsonMapper.builder().build(),
                properties);
    }

    @AfterEach
    void closeTheFile() throws InterruptedException {
        store.stop();
        jdbc.execute("shutdown");
    }

    @Test
    void onlyTheMostRecentTimelinesAreKept() {
        List<String> xids = IntStream.rangeClosed(1, 7).mapToObj(i -> "tx-" + i).toList();
        for (String xid : xids) {
            store.store(run(xid));
            // one batch per run, so that each batch has older timelines to delete
            await().atMost(Duration.ofSeconds(10)).until(() -> !store.find(xid).isEmpty());
        }

        assertThat(jdbc.queryForList("select xid from tx_timeline order by id", String.class))
                .containsExactly("tx-5", "tx-6", "tx-7");
        assertThat(store.find("tx-4")).as("pushed past the limit").isEmpty();
        assertThat(store.find("tx-7")).singleElement().satisfies(view -> assertThat(view.xid()).isEqualTo("tx-7"));
    }

    @Test
    void aBatchLargerThanTheLimitKeepsItsNewestTimelines() {
        List<String> xids = IntStream.rangeClosed(1, 10).mapToObj(i -> "tx-" + i).toList();
        xids.forEach(xid -> store.store(run(xid)));

        await().atMost(Duration.ofSeconds(10)).until(() -> !store.find("tx-10").isEmpty());
        assertThat(jdbc.queryForList("select xid from tx_timeline order by id", String.class))
                .containsExactly("tx-8", "tx-9", "tx-10");
    }

    @Test
    void theLatestStoredRunOfEachXidComesInOneLookUp() {
        List<String> xids = IntStream.rangeClosed(1, 3).mapToObj(i -> "tx-" + i).toList();
        xids.forEach(xid -> store.store(run(xid)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !store.find("tx-3").isEmpty());

        assertThat(store.findLatest(List.of("tx-1", "tx-3", "tx-unknown"))).containsOnlyKeys("tx-1", "tx-3")
                .allSatisfy((xid, view) -> assertThat(view.xid()).isEqualTo(xid));
        assertThat(store.findLatest(List.of())).isEmpty();
    }

    private static TransactionRun run(String xid) {
        Clock clock = Clock.systemUTC();
        return new TransactionRun(xid, CommitProtocol.TWO_PHASE, List.of(new BranchSpec("inventory", null)),
                "coordinator-1", 1, clock, clock.instant());
    }
}
