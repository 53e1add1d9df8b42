package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.EpochHistory;
import io.dtxlab.core.replication.LogEntry;
import io.dtxlab.core.replication.Op;
import io.dtxlab.core.replication.ReplicationSettings;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** The messages replicas send each other under {@code /internal/replication}. Each carries the sender's epoch. */
final class Messages {

    private Messages() {
    }

    /**
     * The master to a slave, every heartbeat interval: I am alive, this is my log and my settings.
     *
     * @param firstMissingWrittenAtMs when the master wrote the first entry this slave misses (for lag in ms), or null
     */
    record Heartbeat(@NotBlank String master, long epoch, @NotNull List<EpochHistory.Epoch> history, long lastIndex,
            long masterNowMs, Long firstMissingWrittenAtMs, @NotNull ReplicationSettings settings) {
    }

    /**
     * A replica's answer to a heartbeat, a replicate, a catch-up or an election: where it stands.
     *
     * @param hearsMaster whether it heard its master within the master timeout
     */
    record Position(String node, String role, long epoch, long votedEpoch, long appliedIndex, String master,
            boolean hearsMaster) {
    }

    /**
     * A slave's answer to a heartbeat that came as a datagram (kind {@code heartbeat-answer}): its position, or why it
     * refused the heartbeat, exactly one of them. Over HTTP the position is the response body and a refusal the problem
     * detail.
     */
    record HeartbeatAnswer(Position position, Refusal refused) {
    }

    /**
     * A refused heartbeat: what the problem detail of the HTTP answer would say.
     *
     * @param status the HTTP status it would have (409 for a stale epoch)
     * @param type the problem type, e.g. {@code urn:dtx:problem:stale-epoch}
     * @param properties the problem's properties (a stale epoch names the replica's {@code epoch} and {@code master})
     */
    record Refusal(int status, @NotNull URI type, String detail, Map<String, Object> properties) {
    }

    /** Log entries from the master: one for a SYNC/SEMI_SYNC write (kind replicate), a batch for a catch-up. */
    record Entries(@NotBlank String master, long epoch, @NotNull List<EpochHistory.Epoch> history,
            @NotNull List<LogEntry> entries) {
    }

    /** The master undid entry {@code index} (SYNC with REJECT: another slave failed it). */
    record Undo(@NotBlank String master, long epoch, long index) {
    }

    /** A candidate asks for the new epoch. */
    record Proposal(@NotBlank String candidate, long epoch, long lastIndex) {
    }

    /** A replica's answer to a proposal, persisted before it is sent. */
    record Grant(String node, boolean granted, long epoch, String reason) {
    }

    /** A deposed master, rejoining, reports the entries it wrote after the fork: writes the failover lost. */
    record LostWritesReport(@NotBlank String reporter, @NotNull List<LogEntry> entries) {
    }

    /** A client write that a slave forwards to its master. */
    record WriteRequest(@NotNull Op op, @NotBlank String key, String value) {
    }
}
