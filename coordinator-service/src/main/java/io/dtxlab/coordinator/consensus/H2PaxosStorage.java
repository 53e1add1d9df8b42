package io.dtxlab.coordinator.consensus;

import io.dtxlab.core.paxos.AcceptedValue;
import io.dtxlab.core.paxos.Ballot;
import io.dtxlab.core.paxos.PaxosStorage;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.core.paxos.StorageWrite;
import io.dtxlab.core.paxos.Value;
import java.util.Collection;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The acceptor's state in this coordinator's H2 file. One {@link #write} is one local transaction, committed (with
 * WRITE_DELAY=0: handed to the OS) before it returns, and so before any promise or accepted leaves. It survives a
 * crash of the process; H2 does not fsync each commit, so a power loss of a majority could lose a promise.
 * Compaction deletes the values up to the compaction point ({@code paxos_compaction}) in the same transaction.
 */
@Component
class H2PaxosStorage implements PaxosStorage {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    H2PaxosStorage(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
    }

    @Override
    public Ballot promised() {
        return jdbc.queryForObject("select round, node from paxos_promise where id = 1",
                (rs, n) -> rs.getLong("round") == 0 ? Ballot.ZERO : new Ballot(rs.getLong("round"), rs.getString("node")));
    }

    @Override
    public Collection<AcceptedValue> accepted() {
        return jdbc.query("select slot, round, node, val from paxos_accepted order by slot", (rs, n) -> new AcceptedValue(
                rs.getLong("slot"), new Ballot(rs.getLong("round"), rs.getString("node")), value(rs.getString("val"))));
    }

    @Override
    public Collection<SlotValue> chosen() {
        return jdbc.query("select slot, val from paxos_chosen order by slot",
                (rs, n) -> new SlotValue(rs.getLong("slot"), value(rs.getString("val"))));
    }

    @Override
    public long compactedThrough() {
        return jdbc.queryForObject("select compacted_through from paxos_compaction where id = 1", Long.class);
    }

    /** The number of chosen values this storage holds (what a restart could hand out at most). */
    long chosenCount() {
        return jdbc.queryForObject("select count(*) from paxos_chosen", Long.class);
    }

    @Override
    public void write(StorageWrite write) {
        if (write.isEmpty()) {
            return;
        }
        tx.executeWithoutResult(status -> {
            if (write.promised() != null) {
                jdbc.update("update paxos_promise set round = ?, node = ? where id = 1",
                        write.promised().round(), write.promised().node());
            }
            for (AcceptedValue a : write.accepted()) {
                jdbc.update("merge into paxos_accepted (slot, round, node, val) key (slot) values (?, ?, ?, ?)",
                        a.slot(), a.ballot().round(), a.ballot().node(), a.value().payload());
            }
            for (SlotValue c : write.chosen()) {
                jdbc.update("merge into paxos_chosen (slot, val) key (slot) values (?, ?)", c.slot(), c.value().payload());
            }
            if (write.compactedThrough() > 0) {
                jdbc.update("delete from paxos_accepted where slot <= ?", write.compactedThrough());
                jdbc.update("delete from paxos_chosen where slot <= ?", write.compactedThrough());
                jdbc.update("update paxos_compaction set compacted_through = greatest(compacted_through, ?) where id = 1",
                        write.compactedThrough());
            }
        });
    }

    private static Value value(String payload) {
        return payload == null ? Value.NOOP : Value.of(payload);
    }
}
