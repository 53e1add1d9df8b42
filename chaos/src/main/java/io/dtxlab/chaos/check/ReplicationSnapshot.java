package io.dtxlab.chaos.check;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What master-slave replication holds after a failover, gathered once the run is over and the deposed master has
 * rejoined. Its records read the replica service's JSON as it is (fields they do not name are ignored).
 *
 * @param survivingLog the new master's replication log, every entry from index 1 (the internal
 *        {@code GET /internal/replication/entries?from=1&limit=...}, paged; it takes the cluster token)
 * @param ledger the lost-writes ledger: {@code lostWrites} of {@code GET /replication/lost-writes} on the new master
 * @param unreconciled the same answer's {@code unreconciled} failovers (their notes), whose deposed master has not
 *        come back: its writes after the fork are not in the ledger yet
 */
public record ReplicationSnapshot(List<LogEntry> survivingLog, List<LostWrite> ledger, List<String> unreconciled) {

    public ReplicationSnapshot {
        survivingLog = List.copyOf(survivingLog);
        ledger = List.copyOf(ledger);
        unreconciled = unreconciled == null ? List.of() : List.copyOf(unreconciled);
    }

    /**
     * One entry of the replication log ({@code LogEntry} on the wire).
     *
     * @param index its place in the log, from 1
     * @param epoch the epoch of the master that wrote it
     * @param op {@code PUT} or {@code DELETE}
     * @param key the key
     * @param value the value written; null for a delete
     * @param undone the master undid it (SYNC with REJECT): it never took effect
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LogEntry(long index, long epoch, String op, String key, String value, boolean undone) {
    }

    /**
     * One write the ledger says a failover lost ({@code LostWrite} on the wire).
     *
     * @param epoch the epoch of the deposed master that wrote it
     * @param index its place in that master's log
     * @param op {@code PUT} or {@code DELETE}
     * @param key the key
     * @param value the value; null for a delete
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LostWrite(long epoch, long index, String op, String key, String value) {
    }
}
