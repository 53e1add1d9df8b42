package io.dtxlab.platform.node;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.platform.LabProperties;
import java.nio.file.Path;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This node: id, role, data directory, and its incarnation, the number of times it has started from
 * its files. The incarnation is counted in the node's own database, so a restart that kept its data
 * shows the next number and a node that lost its data starts again from 1.
 */
@Component
public class NodeIdentity {

    private final String id;
    private final NodeRole role;
    private final Path dataDir;
    private final long incarnation;
    private final Instant startedAt;

    NodeIdentity(LabProperties properties, JdbcTemplate jdbc, TransactionTemplate tx) {
        this.id = properties.node().id();
        this.role = properties.node().role();
        this.dataDir = properties.dataDir();
        this.startedAt = Instant.now();
        this.incarnation = tx.execute(status -> {
            Long last = jdbc.queryForObject("select coalesce(max(incarnation), 0) from node_incarnation", Long.class);
            long next = (last == null ? 0 : last) + 1;
            jdbc.update("insert into node_incarnation (incarnation, node_id, started_at) values (?, ?, ?)",
                    next, id, java.sql.Timestamp.from(startedAt));
            return next;
        });
    }

    public String id() {
        return id;
    }

    public NodeRole role() {
        return role;
    }

    public Path dataDir() {
        return dataDir;
    }

    public long incarnation() {
        return incarnation;
    }

    public Instant startedAt() {
        return startedAt;
    }
}
