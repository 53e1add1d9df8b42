package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.EpochHistory;
import io.dtxlab.core.replication.LogEntry;
import io.dtxlab.core.replication.Op;
import io.dtxlab.core.replication.ReplicationMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This replica's replication log, its data, its epoch history, its vote and its list of lost writes, in its H2 file.
 * Each change is one transaction that has committed (WRITE_DELAY=0) before the caller answers anyone: an entry is
 * acknowledged only once it is on disk together with its effect on the data.
 */
@Component
class ReplicationStore {

    private static final String ENTRY_COLUMNS = "log_index, epoch, op, key_name, key_value, mode, written_at, undone";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private long votedEpoch = -1;

    ReplicationStore(JdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** A value and the entry that wrote it. */
    record Versioned(String key, String value, long index, long epoch, long writtenAtMs) {
    }

    /** An acknowledged write a failover lost. */
    record LostWrite(long epoch, long index, Op op, String key, String value, ReplicationMode mode, long writtenAtMs,
            String writtenBy, String detectedBy, String how, long detectedAtMs) {
    }

    long lastIndex() {
        Long last = jdbc.queryForObject("select coalesce(max(log_index), 0) from replication_log", Long.class);
        return last == null ? 0 : last;
    }

    Optional<LogEntry> entry(long index) {
        return jdbc.query("select " + ENTRY_COLUMNS + " from replication_log where log_index = ?", ReplicationStore::entry, index)
                .stream().findFirst();
    }

    /** Entries from {@code from} on, in index order, at most {@code limit}. */
    List<LogEntry> entries(long from, int limit) {
        return jdbc.query("select " + ENTRY_COLUMNS + " from replication_log where log_index >= ? order by log_index limit ?",
                ReplicationStore::entry, from, limit);
    }

    /** Appends the entry and applies it to the data, in one transaction. */
    void append(LogEntry entry) {
        tx.executeWithoutResult(status -> {
            jdbc.update("insert into replication_log (" + ENTRY_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?)",
                    entry.index(), entry.epoch(), entry.op().name(), entry.key(), entry.value(), entry.mode().name(),
                    entry.writtenAtMs(), entry.undone());
            if (!entry.undone()) {
                applyToData(entry);
            }
        });
    }

    /** Marks an entry undone and gives its key back the value of the last earlier entry (REJECT). */
    void undo(long index) {
        tx.executeWithoutResult(status -> {
            entry(index).ifPresent(entry -> {
                jdbc.update("update replication_log set undone = true where log_index = ?", index);
                restoreFromLog(entry.key());
            });
        });
    }

    /** Drops the entries from {@code index} on (they diverged) and gives their keys back their earlier values. */
    void truncateFrom(long index) {
        tx.executeWithoutResult(status -> {
            List<String> keys = jdbc.queryForList("select distinct key_name from replication_log where log_index >= ?",
                    String.class, index);
            jdbc.update("delete from replication_log where log_index >= ?", index);
            keys.forEach(this::restoreFromLog);
        });
    }

    private void applyToData(LogEntry entry) {
        if (entry.op() == Op.DELETE) {
            jdbc.update("delete from kv_entry where key_name = ?", entry.key());
        } else {
            jdbc.update("merge into kv_entry (key_name, key_value, log_index, epoch, written_at) key (key_name) values (?, ?, ?, ?, ?)",
                    entry.key(), entry.value(), entry.index(), entry.epoch(), entry.writtenAtMs());
        }
    }

    private void restoreFromLog(String key) {
        List<LogEntry> last = jdbc.query("select " + ENTRY_COLUMNS + " from replication_log where key_name = ? and undone = false "
                + "order by log_index desc limit 1", ReplicationStore::entry, key);
        if (last.isEmpty()) {
            jdbc.update("delete from kv_entry where key_name = ?", key);
        } else {
            applyToData(last.get(0));
        }
    }

    Optional<Versioned> get(String key) {
        return jdbc.query("select key_name, key_value, log_index, epoch, written_at from kv_entry where key_name = ?",
                ReplicationStore::versioned, key).stream().findFirst();
    }

    List<Versioned> all(int limit) {
        return jdbc.query("select key_name, key_value, log_index, epoch, written_at from kv_entry order by key_name limit ?",
                ReplicationStore::versioned, limit);
    }

    /** Key to value, every key: what tests and curl compare between replicas. */
    Map<String, String> snapshot() {
        Map<String, String> map = new LinkedHashMap<>();
        all(Integer.MAX_VALUE).forEach(v -> map.put(v.key(), v.value()));
        return map;
    }

    Optional<EpochHistory> history() {
        List<EpochHistory.Epoch> epochs = jdbc.query("select epoch, master, start_index from replication_epoch order by epoch",
                (rs, n) -> new EpochHistory.Epoch(rs.getLong(1), rs.getString(2), rs.getLong(3)));
        return epochs.isEmpty() ? Optional.empty() : Optional.of(EpochHistory.of(epochs));
    }

    /** Replaces the epoch history with {@code history}; {@code previousMaster} is the master it deposed, if any. */
    void saveHistory(EpochHistory history, String deposed) {
        tx.executeWithoutResult(status -> {
            for (EpochHistory.Epoch e : history.epochs()) {
                Integer known = jdbc.queryForObject("select count(*) from replication_epoch where epoch = ?", Integer.class, e.epoch());
                if (known == null || known == 0) {
                    boolean isNewest = e.epoch() == history.current().epoch();
                    jdbc.update("insert into replication_epoch (epoch, master, start_index, previous_master, previous_reconciled) "
                            + "values (?, ?, ?, ?, ?)", e.epoch(), e.master(), e.startIndex(),
                            isNewest ? deposed : null, !isNewest || deposed == null);
                }
            }
        });
    }

    /** Failovers whose deposed master has not reported yet: epoch, deposed master, start index. */
    List<Map<String, Object>> unreconciledFailovers() {
        return jdbc.queryForList("select epoch, previous_master, start_index from replication_epoch "
                + "where previous_reconciled = false order by epoch");
    }

    void markReconciled(String deposed) {
        jdbc.update("update replication_epoch set previous_reconciled = true where previous_master = ?", deposed);
    }

    /**
     * The newest epoch this replica voted for (0 before any vote). Every heartbeat's answer carries it, so it is read
     * from disk once and then kept: only {@link #vote} changes it, and it updates the copy after the row is written.
     */
    synchronized long votedEpoch() {
        if (votedEpoch < 0) {
            List<Long> epochs = jdbc.queryForList("select epoch from replication_vote where id = 1", Long.class);
            votedEpoch = epochs.isEmpty() ? 0 : epochs.get(0);
        }
        return votedEpoch;
    }

    synchronized void vote(long epoch, String grantedTo) {
        votedEpoch = -1; // should the write fail, the next read goes to the disk
        jdbc.update("merge into replication_vote (id, epoch, granted_to) key (id) values (1, ?, ?)", epoch, grantedTo);
        votedEpoch = epoch;
    }

    void recordLost(LostWrite lost) {
        jdbc.update("merge into lost_write (epoch, log_index, op, key_name, key_value, mode, written_at, written_by, detected_by, how, "
                + "detected_at) key (epoch, log_index) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                lost.epoch(), lost.index(), lost.op().name(), lost.key(), lost.value(), lost.mode().name(), lost.writtenAtMs(),
                lost.writtenBy(), lost.detectedBy(), lost.how(), lost.detectedAtMs());
    }

    List<LostWrite> lostWrites() {
        return jdbc.query("select epoch, log_index, op, key_name, key_value, mode, written_at, written_by, detected_by, how, detected_at "
                + "from lost_write order by epoch, log_index", (rs, n) -> new LostWrite(rs.getLong(1), rs.getLong(2),
                        Op.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5), ReplicationMode.valueOf(rs.getString(6)),
                        rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getLong(11)));
    }

    private static LogEntry entry(ResultSet rs, int row) throws SQLException {
        return new LogEntry(rs.getLong(1), rs.getLong(2), Op.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5),
                ReplicationMode.valueOf(rs.getString(6)), rs.getLong(7), rs.getBoolean(8));
    }

    private static Versioned versioned(ResultSet rs, int row) throws SQLException {
        return new Versioned(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
    }
}
