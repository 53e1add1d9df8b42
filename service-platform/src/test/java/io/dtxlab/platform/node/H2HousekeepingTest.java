package io.dtxlab.platform.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * H2 with {@code WRITE_DELAY=0}, written as the services write it (one commit per row, rows keyed by random ids), keeps
 * few live pages in most chunks; housekeeping rewrites them so their space is reused, and the rows stay as written.
 */
class H2HousekeepingTest {

    @TempDir
    Path dir;

    @Test
    void aFileWrittenCommitByCommitThenLeftQuietIsCompactedAndKeepsEveryRow() throws Exception {
        // given a file written one small commit at a time
        JdbcDataSource data = file("node");
        try (Connection keepOpen = data.getConnection()) {
            write(keepOpen, 0, 6_000);
            MVStore store = H2Housekeeping.open(data);
            int fillBefore = store.getFileStore().getChunksFillRate();
            long sizeBefore = store.getFileStore().size();
            assertThat(fillBefore).as("live share of the chunks before").isLessThan(H2Housekeeping.TARGET_FILL);

            // when housekeeping passes run with no commit between them
            H2Housekeeping housekeeping = housekeeping(data);
            try {
                for (int pass = 0; pass < 30; pass++) {
                    housekeeping.pass();
                }
                // then most of the chunks' space is live again, the file is smaller, and a further pass writes nothing
                assertThat(store.getFileStore().getChunksFillRate()).as("live share of the chunks after (was %d%%)",
                        fillBefore).isGreaterThanOrEqualTo(H2Housekeeping.TARGET_FILL);
                assertThat(store.getFileStore().size()).as("file size, was %d", sizeBefore).isLessThan(sizeBefore / 2);
                long writes = store.getFileStore().getWriteCount();
                assertThat(housekeeping.pass()).as("a pass on a compact, quiet file").isFalse();
                assertThat(store.getFileStore().getWriteCount()).isEqualTo(writes);
            } finally {
                housekeeping.stop();
            }
            // and every row reads back as written
            try (Statement s = keepOpen.createStatement();
                    ResultSet rows = s.executeQuery("select count(*), sum(n) from row_by_random_id")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(6_000);
                assertThat(rows.getLong(2)).isEqualTo(6_000L * 5_999 / 2);
            }
        }
    }

    @Test
    void aFileThatCommitsKeepWritingIsLeftAlone() throws Exception {
        // given a file written commit by commit
        JdbcDataSource data = file("busy");
        try (Connection keepOpen = data.getConnection()) {
            write(keepOpen, 0, 2_000);
            H2Housekeeping housekeeping = housekeeping(data);
            try {
                // when commits come between every two passes, then no pass rewrites or moves anything: that would
                // hold the locks those commits need
                for (int round = 0; round < 10; round++) {
                    write(keepOpen, 2_000 + round * 50, 50);
                    assertThat(housekeeping.pass()).as("a pass after commits (round %d)", round).isFalse();
                }
                assertThat(H2Housekeeping.open(data).getFileStore().getChunksFillRate())
                        .isLessThan(H2Housekeeping.TARGET_FILL);
            } finally {
                housekeeping.stop();
            }
        }
    }

    /** An H2 file as the nodes open theirs (WRITE_DELAY=0), with no retention time, so that every chunk counts. */
    private JdbcDataSource file(String name) {
        JdbcDataSource data = new JdbcDataSource();
        data.setURL("jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0;RETENTION_TIME=0");
        return data;
    }

    private static H2Housekeeping housekeeping(DataSource data) {
        H2Housekeeping housekeeping = new H2Housekeeping(provider(data), new StaticListableBeanFactory()
                .getBeanProvider(MeterRegistry.class));
        housekeeping.start();
        return housekeeping;
    }

    /** Rows {@code from..from+count-1}, each inserted in its own commit under a random key, each later updated once. */
    private static void write(Connection c, int from, int count) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("create table if not exists row_by_random_id (id varchar(36) primary key, n bigint, "
                    + "payload varchar(400))");
        }
        Random random = new Random(from);
        c.setAutoCommit(true);
        try (PreparedStatement insert = c.prepareStatement("insert into row_by_random_id values (?, ?, ?)");
                PreparedStatement update = c.prepareStatement("update row_by_random_id set payload = ? where id = ?")) {
            for (int i = from; i < from + count; i++) {
                String id = new UUID(random.nextLong(), random.nextLong()).toString();
                insert.setString(1, id);
                insert.setLong(2, i);
                insert.setString(3, "x".repeat(200));
                insert.executeUpdate();
                update.setString(1, "y".repeat(300));
                update.setString(2, id);
                update.executeUpdate();
            }
        }
    }

    private static ObjectProvider<DataSource> provider(
            DataSource data) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("dataSource", data);
        return beans.getBeanProvider(DataSource.class);
    }
}
