package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.Dot;
import io.dtxlab.core.quorum.Siblings;
import io.dtxlab.core.quorum.VectorClock;
import io.dtxlab.core.quorum.Version;
import io.dtxlab.platform.node.NodeIdentity;
import io.dtxlab.platform.problem.ValidationProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The versions this replica holds, in its H2 file, and this node's counter per key. Every change is committed (and
 * so on disk, WRITE_DELAY=0) before the caller answers the coordinator: an acknowledged quorum write survives a
 * crash of this replica. A row holds a version's dot ({@code node:counter}, null for a version written before dots)
 * and, in {@code clock}, its past.
 */
@Component
class VersionStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final KeyLocks locks;
    private final String self;

    VersionStore(JdbcTemplate jdbc, TransactionTemplate tx, KeyLocks locks, NodeIdentity node) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.locks = locks;
        this.self = node.id();
    }

    /** A version from a row of {@code dot, clock, data_value}. */
    static Version version(ResultSet rs, int dotColumn) throws SQLException {
        Dot dot = Dot.parse(rs.getString(dotColumn));
        VectorClock past = VectorClock.parse(rs.getString(dotColumn + 1));
        return new Version(dot, past, rs.getString(dotColumn + 2));
    }

    /** The key's siblings on this replica; empty when it holds none. */
    List<Version> read(String key) {
        return Siblings.reconcile(jdbc.query("select dot, clock, data_value from quorum_version where data_key = ?",
                (rs, i) -> version(rs, 1), key));
    }

    /**
     * Reconciles {@code incoming} with what this replica holds of {@code key} and stores the result. This node's
     * counter for the key is raised to every counter of its own the versions carry, so a write it coordinates
     * later gets a dot above all of them, even after it lost its files or was named in a context it never issued.
     */
    Siblings.Applied apply(String key, Collection<Version> incoming) {
        return locks.withKey(key, () -> tx.execute(status -> {
            List<Version> stored = read(key);
            Siblings.Applied applied = Siblings.apply(stored, incoming);
            if (applied.changed()) {
                for (Version old : stored) {
                    if (!applied.versions().contains(old)) {
                        jdbc.update("delete from quorum_version where data_key = ? and clock = ? "
                                + "and coalesce(dot, '') = ? and data_value = ?", key, old.past().encode(),
                                dotColumn(old), old.value());
                    }
                }
                Timestamp now = Timestamp.from(Instant.now());
                for (Version v : applied.versions()) {
                    if (!stored.contains(v)) {
                        jdbc.update("insert into quorum_version (data_key, dot, clock, data_value, stored_at) "
                                + "values (?, ?, ?, ?, ?)", key, v.dot() == null ? null : v.dot().toString(),
                                v.past().encode(), v.value(), now);
                    }
                }
            }
            long highest = incoming.stream().mapToLong(v -> v.clock().counter(self)).max().orElse(0);
            if (highest > lastCounter(key)) {
                storeCounter(key, highest);
            }
            return applied;
        }));
    }

    /**
     * The dot of a write this node coordinates: its next counter for the key, above every counter it gave the key
     * or saw for itself in a version. The counter is committed before the write leaves.
     *
     * @throws org.springframework.web.ErrorResponseException 400 naming {@code context.<self>} when the context
     *         claims a write of this node it never gave the key: nothing is written
     */
    Dot nextDot(String key, VectorClock context) {
        return locks.withKey(key, () -> tx.execute(status -> {
            long last = lastCounter(key);
            long claimed = context.counter(self);
            if (claimed > last) {
                throw ValidationProblem.invalid("context." + self, "Issued", "is " + claimed + ", but " + self
                        + " has given key '" + key + "' counters up to " + last + " only: send the context of a "
                        + "read of this key unchanged", claimed);
            }
            if (last >= VectorClock.MAX_COUNTER) {
                throw new IllegalStateException(self + " has given key '" + key + "' its last counter, "
                        + VectorClock.MAX_COUNTER);
            }
            Dot dot = new Dot(self, last + 1);
            storeCounter(key, dot.counter());
            return dot;
        }));
    }

    private long lastCounter(String key) {
        List<Long> last = jdbc.queryForList("select last_counter from quorum_counter where data_key = ?", Long.class, key);
        return last.isEmpty() ? 0 : last.get(0);
    }

    private void storeCounter(String key, long counter) {
        if (jdbc.update("update quorum_counter set last_counter = ? where data_key = ?", counter, key) == 0) {
            jdbc.update("insert into quorum_counter (data_key, last_counter) values (?, ?)", key, counter);
        }
    }

    static String dotColumn(Version v) {
        return v.dot() == null ? "" : v.dot().toString();
    }
}
