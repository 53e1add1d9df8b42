package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.Siblings;
import io.dtxlab.core.quorum.VectorClock;
import io.dtxlab.core.quorum.Version;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The versions this replica holds, in its H2 file. Every change is committed (and so on disk, WRITE_DELAY=0)
 * before the caller answers the coordinator: an acknowledged quorum write survives a crash of this replica.
 */
@Component
class VersionStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final KeyLocks locks;

    VersionStore(JdbcTemplate jdbc, TransactionTemplate tx, KeyLocks locks) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.locks = locks;
    }

    /** The key's siblings on this replica; empty when it holds none. */
    List<Version> read(String key) {
        return Siblings.reconcile(jdbc.query("select clock, data_value from quorum_version where data_key = ?",
                (rs, i) -> new Version(VectorClock.parse(rs.getString(1)), rs.getString(2)), key));
    }

    /** Reconciles {@code incoming} with what this replica holds of {@code key} and stores the result. */
    Siblings.Applied apply(String key, Collection<Version> incoming) {
        return locks.withKey(key, () -> tx.execute(status -> {
            List<Version> stored = read(key);
            Siblings.Applied applied = Siblings.apply(stored, incoming);
            if (applied.changed()) {
                Set<VectorClock> kept = new HashSet<>();
                applied.versions().forEach(v -> kept.add(v.clock()));
                Set<VectorClock> had = new HashSet<>();
                for (Version old : stored) {
                    had.add(old.clock());
                    if (!kept.contains(old.clock())) {
                        jdbc.update("delete from quorum_version where data_key = ? and clock = ?", key, old.clock().encode());
                    }
                }
                Timestamp now = Timestamp.from(Instant.now());
                for (Version v : applied.versions()) {
                    if (!had.contains(v.clock())) {
                        jdbc.update("insert into quorum_version (data_key, clock, data_value, stored_at) values (?, ?, ?, ?)",
                                key, v.clock().encode(), v.value(), now);
                    }
                }
            }
            return applied;
        }));
    }

    /**
     * The clock of a write this node coordinates: the context with this node's entry advanced past every counter
     * it gave the key before. The counter is committed before the write leaves.
     */
    VectorClock nextClock(String key, String self, VectorClock context) {
        return locks.withKey(key, () -> tx.execute(status -> {
            List<Long> last = jdbc.queryForList("select last_counter from quorum_counter where data_key = ?", Long.class, key);
            VectorClock next = context.advance(self, last.isEmpty() ? 0 : last.get(0));
            if (last.isEmpty()) {
                jdbc.update("insert into quorum_counter (data_key, last_counter) values (?, ?)", key, next.counter(self));
            } else {
                jdbc.update("update quorum_counter set last_counter = ? where data_key = ?", next.counter(self), key);
            }
            return next;
        }));
    }
}
