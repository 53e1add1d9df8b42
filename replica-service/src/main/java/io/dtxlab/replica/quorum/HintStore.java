package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.Version;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hints: writes this node holds for an owner that was down when they were made. A hint is on disk before the
 * stand-in acknowledges it, and deleted only after the owner acknowledged its handoff.
 */
@Component
class HintStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final KeyLocks locks;
    private volatile Runnable onAdded = () -> { };

    HintStore(JdbcTemplate jdbc, TransactionTemplate tx, KeyLocks locks) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.locks = locks;
    }

    /**
     * A hint held for {@code owner}.
     *
     * @param id its row, to delete once delivered
     * @param owner the node the write belongs to
     * @param key the key
     * @param version the version to hand over
     */
    record Hint(long id, String owner, String key, Version version) {
    }

    /** Called after new hints were stored (they are on disk by then): hinted handoff wakes up. */
    void onAdded(Runnable listener) {
        this.onAdded = listener;
    }

    /** Stores the versions as hints for {@code owner}; returns how many were new. */
    int add(String owner, String key, Collection<Version> versions) {
        int added = store(owner, key, versions);
        if (added > 0) {
            onAdded.run();
        }
        return added;
    }

    private int store(String owner, String key, Collection<Version> versions) {
        return locks.withKey(key, () -> tx.execute(status -> {
            int added = 0;
            Timestamp now = Timestamp.from(Instant.now());
            for (Version v : versions) {
                Integer present = jdbc.queryForObject("select count(*) from quorum_hint where owner_node = ? and "
                        + "data_key = ? and clock = ? and coalesce(dot, '') = ?", Integer.class, owner, key,
                        v.past().encode(), VersionStore.dotColumn(v));
                if (present == null || present == 0) {
                    jdbc.update("insert into quorum_hint (owner_node, data_key, dot, clock, data_value, stored_at) "
                            + "values (?, ?, ?, ?, ?, ?)", owner, key, v.dot() == null ? null : v.dot().toString(),
                            v.past().encode(), v.value(), now);
                    added++;
                }
            }
            return added;
        }));
    }

    /** The owners that have hints waiting here. */
    List<String> owners() {
        return jdbc.queryForList("select distinct owner_node from quorum_hint order by owner_node", String.class);
    }

    /** The oldest {@code limit} hints for {@code owner}. */
    List<Hint> forOwner(String owner, int limit) {
        return jdbc.query("select id, owner_node, data_key, dot, clock, data_value from quorum_hint where owner_node = ? "
                + "order by id fetch first ? rows only", (rs, i) -> new Hint(rs.getLong(1), rs.getString(2),
                        rs.getString(3), VersionStore.version(rs, 4)), owner, limit);
    }

    /** The hints held here for {@code key}, whatever their owner. */
    List<Hint> forKey(String key) {
        return jdbc.query("select id, owner_node, data_key, dot, clock, data_value from quorum_hint where data_key = ? "
                + "order by id", (rs, i) -> new Hint(rs.getLong(1), rs.getString(2), rs.getString(3),
                        VersionStore.version(rs, 4)), key);
    }

    void delete(Collection<Hint> delivered) {
        tx.executeWithoutResult(status -> delivered.forEach(h -> jdbc.update("delete from quorum_hint where id = ?", h.id())));
    }

    long pending() {
        Long count = jdbc.queryForObject("select count(*) from quorum_hint", Long.class);
        return count == null ? 0 : count;
    }
}
