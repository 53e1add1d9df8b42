package io.dtxlab.replica.replication;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.core.replication.EpochHistory;
import io.dtxlab.core.replication.FailoverPolicy;
import io.dtxlab.core.replication.ReplicaSet;
import io.dtxlab.core.replication.ReplicationSettings;
import io.dtxlab.platform.messaging.MessageOutcome;
import io.dtxlab.platform.messaging.PeerProbe;
import io.dtxlab.platform.node.NodeIdentity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Replication", description = "This replica's view of replication")
class ReplicationStatusController {

    private final NodeIdentity node;
    private final PeerProbe probe;
    private final ReplicaState state;
    private final ReplicationStore store;
    private final KafkaLogListener kafka;
    private final long masterTimeoutMs;

    ReplicationStatusController(NodeIdentity node, PeerProbe probe, ReplicaState state, ReplicationStore store,
            KafkaLogListener kafka, ReplicationProperties properties) {
        this.masterTimeoutMs = properties.masterTimeout().toMillis();
        this.node = node;
        this.probe = probe;
        this.state = state;
        this.store = store;
        this.kafka = kafka;
    }

    /**
     * @param node this replica
     * @param incarnation which start of this replica answers
     * @param role MASTER or SLAVE
     * @param epoch the current epoch; it goes up with each election
     * @param master the master of this epoch
     * @param masterReachable whether this replica heard its master within the master timeout
     * @param appliedIndex the last log index applied here
     * @param lagEntries entries behind the master as of its last heartbeat (0 on the master); null when this replica
     *        cannot know (master not heard for the master timeout), never a made-up 0
     * @param lagMs how old the oldest write this replica misses is (0 on the master); null when it cannot know
     * @param possiblyStale whether writes this replica has not applied may exist (lag above 0, or unknown)
     * @param lastHeardFromMasterAt on a slave: when it last heard from its master (ISO-8601)
     * @param masterSilentForMs on a slave: how long ago that was, in ms
     * @param staleReason why it may be stale; absent when it is not
     * @param settings the mode, SYNC failure policy and semi-sync k and timeout in force
     * @param semiSyncDegraded on a master: why semi-sync is degraded to async, if it is
     * @param failover WAIT or ELECT
     * @param writes whether this replica takes writes now, and why not
     * @param peers the other replicas: reachable now (a ping), and on the master their sync state and lag
     * @param epochs the epoch history
     * @param applied how many entries arrived by each path: replicate (REST), kafka, catch-up; and how many were fenced
     * @param kafkaConsumerReady whether this replica's Kafka consumer has its partition (ASYNC entries reach it)
     */
    record ReplicationStatus(String node, long incarnation, String role, long epoch, String master, boolean masterReachable,
            long appliedIndex, Long lagEntries, Long lagMs, boolean possiblyStale, Instant lastHeardFromMasterAt,
            Long masterSilentForMs, String staleReason, ReplicationSettings settings, String semiSyncDegraded,
            FailoverPolicy failover, String writes, List<Peer> peers, List<EpochHistory.Epoch> epochs,
            Map<String, Long> applied, boolean kafkaConsumerReady) {
    }

    /**
     * @param reachable whether it answered a ping just now
     * @param sync on the master: IN_SYNC (counts for synchronous acks) or OUT_OF_SYNC
     * @param syncReason why it is out of sync
     * @param matchIndex on the master: the last index it reported applied
     * @param lagEntries on the master: how many entries it is behind
     */
    record Peer(String node, String url, boolean reachable, MessageOutcome outcome, long latencyMs, Long incarnation,
            ReplicaSet.Sync sync, String syncReason, Long matchIndex, Long lagEntries) {
    }

    @GetMapping("/replication/status")
    @Operation(summary = "Show role, epoch, applied index, lag, mode, and the other replicas with their health and sync state")
    ReplicationStatus status() {
        List<ReplicaSet.SlaveView> slaves = Optional.ofNullable(state.slaves(set -> set.view(Clocks.monotonicMs()))).orElse(List.of());
        long last = state.appliedIndex();
        List<Peer> peers = probe.probeOthers(NodeRole.REPLICA).stream().map(p -> {
            Optional<ReplicaSet.SlaveView> view = slaves.stream().filter(s -> s.node().equals(p.node())).findFirst();
            return new Peer(p.node(), p.url(), p.reachable(), p.outcome(), p.latencyMs(), p.incarnation(),
                    view.map(ReplicaSet.SlaveView::sync).orElse(null), view.map(ReplicaSet.SlaveView::reason).orElse(null),
                    view.map(ReplicaSet.SlaveView::matchIndex).orElse(null),
                    view.map(v -> v.matchIndex() < 0 ? null : Math.max(0, last - v.matchIndex())).orElse(null));
        }).toList();
        ReplicaState.Freshness fresh = state.freshness();
        return new ReplicationStatus(node.id(), node.incarnation(), state.role().name(), state.epoch(), state.master(),
                state.hearsMaster(), last, fresh.lagEntries(), fresh.lagMs(), fresh.possiblyStale(),
                fresh.lastHeardFromMasterAt(), fresh.masterSilentForMs(), fresh.staleReason(), state.settings(),
                state.slaves(ReplicaSet::semiSyncDegraded), state.failover(), writes(), peers, state.history().epochs(),
                Map.of("replicate", state.appliedViaReplicate().get(), "kafka", state.appliedViaKafka().get(),
                        "catchUp", state.appliedViaCatchUp().get(), "fenced", state.fencedEntries().get()),
                kafka.assigned());
    }

    private String writes() {
        if (!state.isMaster()) {
            return state.hearsMaster() ? "forwarded to master " + state.master()
                    : "refused: master " + state.master() + " not heard for " + state.msSinceMasterHeard() + " ms";
        }
        if (!state.confirmed()) {
            return "refused: not yet confirmed by a majority as master of epoch " + state.epoch();
        }
        if (state.failover() == FailoverPolicy.ELECT && !Boolean.TRUE.equals(state.slaves(set -> set.hasMajorityContact(
                Clocks.monotonicMs(), masterTimeoutMs / 2)))) {
            return "refused: a majority of replicas not heard (failover ELECT)";
        }
        ReplicationSettings settings = state.settings();
        String refusal = state.slaves(set -> set.refusal(settings));
        return refusal == null ? "accepted" : "refused: " + refusal;
    }

    /**
     * @param lostWrites acknowledged writes the failover lost, as far as this replica knows
     * @param unreconciled failovers whose deposed master has not come back yet: its writes after the fork may be lost
     */
    record LostWrites(String node, long epoch, List<ReplicationStore.LostWrite> lostWrites, List<Map<String, Object>> unreconciled) {
    }

    @GetMapping("/replication/lost-writes")
    @Operation(summary = "List the acknowledged writes a failover lost",
            description = "Reported by a deposed master when it rejoins (its entries after the fork), or fenced on delivery. "
                    + "'unreconciled' names failovers whose deposed master has not come back yet.")
    LostWrites lostWrites() {
        List<Map<String, Object>> pending = store.unreconciledFailovers().stream().map(row -> Map.<String, Object>of(
                "epoch", row.get("EPOCH"), "deposedMaster", row.get("PREVIOUS_MASTER"),
                "forkIndex", ((Number) row.get("START_INDEX")).longValue() - 1,
                "note", "writes " + row.get("PREVIOUS_MASTER") + " made after index " + (((Number) row.get("START_INDEX")).longValue() - 1)
                        + " are lost; they are listed when it rejoins")).toList();
        return new LostWrites(state.self(), state.epoch(), store.lostWrites(), pending);
    }
}
