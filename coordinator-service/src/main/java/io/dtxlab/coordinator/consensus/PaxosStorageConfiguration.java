package io.dtxlab.coordinator.consensus;

import io.dtxlab.core.paxos.AcceptedValue;
import io.dtxlab.core.paxos.Ballot;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.core.paxos.StorageWrite;
import io.dtxlab.platform.LabProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The acceptor's durable state: an append-only file, {@code <data dir>/paxos/acceptor.log} ({@link FilePaxosStorage}),
 * beside the node's H2 file. A data directory from a build that kept it in H2 tables ({@code paxos_promise},
 * {@code paxos_accepted}, {@code paxos_chosen}, {@code paxos_compaction}) is imported by the first start that finds no
 * file, so no promise or accepted value is forgotten across the upgrade (the file appears only once the import is
 * whole); the imported rows are then deleted.
 */
@Configuration(proxyBeanMethods = false)
class PaxosStorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PaxosStorageConfiguration.class);

    @Bean(destroyMethod = "close")
    FilePaxosStorage paxosStorage(LabProperties lab, ConsensusProperties consensus, JdbcTemplate jdbc)
            throws IOException {
        Path file = lab.dataDir().resolve("paxos").resolve(FilePaxosStorage.FILE);
        if (!Files.exists(file)) {
            importFromH2(file, jdbc);
        }
        return FilePaxosStorage.open(file, consensus.fsync(), FilePaxosStorage.MIN_REWRITE);
    }

    /**
     * Writes what the H2 tables hold to a file of its own, then renames it into place: the log file exists only
     * once the import is whole, so a start interrupted during it imports again.
     */
    static void importFromH2(Path file, JdbcTemplate jdbc) throws IOException {
        Ballot promised = jdbc.queryForObject("select round, node from paxos_promise where id = 1",
                (rs, n) -> rs.getLong("round") == 0 ? Ballot.ZERO : new Ballot(rs.getLong("round"), rs.getString("node")));
        List<AcceptedValue> accepted = jdbc.query("select slot, round, node, val from paxos_accepted order by slot",
                (rs, n) -> new AcceptedValue(rs.getLong("slot"), new Ballot(rs.getLong("round"), rs.getString("node")),
                        FilePaxosStorage.value(rs.getString("val"))));
        List<SlotValue> chosen = jdbc.query("select slot, val from paxos_chosen order by slot",
                (rs, n) -> new SlotValue(rs.getLong("slot"), FilePaxosStorage.value(rs.getString("val"))));
        Long compacted = jdbc.queryForObject("select compacted_through from paxos_compaction where id = 1", Long.class);
        long compactedThrough = compacted == null ? 0 : compacted;
        if (Ballot.ZERO.equals(promised) && accepted.isEmpty() && chosen.isEmpty() && compactedThrough == 0) {
            return;
        }
        Path partial = file.resolveSibling(file.getFileName() + ".import");
        Files.deleteIfExists(partial);
        try (FilePaxosStorage imported = FilePaxosStorage.open(partial, true, FilePaxosStorage.MIN_REWRITE)) {
            imported.write(new StorageWrite(Ballot.ZERO.equals(promised) ? null : promised, accepted, chosen,
                    compactedThrough));
        }
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        jdbc.update("delete from paxos_accepted");
        jdbc.update("delete from paxos_chosen");
        log.info("imported the Paxos acceptor state from H2: promised {}, {} accepted and {} chosen after slot {}",
                promised, accepted.size(), chosen.size(), compactedThrough);
    }
}
