package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.FailoverPolicy;
import io.dtxlab.core.replication.ReplicationMode;
import io.dtxlab.core.replication.SyncFailurePolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Master-slave replication, configured under {@code dtx.replication.*} (environment: {@code DTX_REPLICATION_MODE},
 * {@code DTX_REPLICATION_FAILOVER}, ...). Mode, failure policy and the semi-sync settings can also be switched at
 * runtime on the master ({@code PUT /admin/replication/settings}); the failover policy is fixed per node.
 *
 * @param master the master of epoch 1, before any election
 * @param mode how the master replicates each write: SYNC, SEMI_SYNC or ASYNC
 * @param syncFailure what SYNC does when a slave fails: REJECT (refuse writes, undo) or DEGRADE (go on without it)
 * @param semiSync the k and timeout of SEMI_SYNC
 * @param failover what the slaves do when the master is gone: WAIT for it or ELECT a new one
 * @param heartbeatInterval how often the master heartbeats its slaves (the heartbeat also carries positions and lag);
 *     a third of the master timeout, so a slave misses two heartbeats before it counts the master gone
 * @param masterTimeout a slave that has not heard the master for this long considers it gone; a master counts a slave
 *     silent for this long as out of sync
 * @param replicateTimeout how long a SYNC master waits for one slave's ack before it counts as failed
 * @param readWait how long a read that asks for an index this replica has not applied yet waits for it
 * @param stallTimeout a slave behind the master with no progress for this long is caught up over REST
 * @param topic the Kafka topic that carries the log to the slaves in ASYNC mode
 * @param catchUpBatch how many entries one catch-up message carries
 */
@Validated
@ConfigurationProperties("dtx.replication")
public record ReplicationProperties(
        @DefaultValue("replica-1") @NotBlank String master,
        @DefaultValue("SYNC") @NotNull ReplicationMode mode,
        @DefaultValue("REJECT") @NotNull SyncFailurePolicy syncFailure,
        @Valid @NotNull @DefaultValue SemiSync semiSync,
        @DefaultValue("WAIT") @NotNull FailoverPolicy failover,
        @DefaultValue("1s") @NotNull Duration heartbeatInterval,
        @DefaultValue("3s") @NotNull Duration masterTimeout,
        @DefaultValue("2s") @NotNull Duration replicateTimeout,
        @DefaultValue("2s") @NotNull Duration readWait,
        @DefaultValue("5s") @NotNull Duration stallTimeout,
        @DefaultValue("dtx.replication-log") @NotBlank String topic,
        @DefaultValue("500") @Min(1) int catchUpBatch) {

    /** Settings that cannot work are refused at start, naming the property. */
    public ReplicationProperties {
        for (var d : java.util.Map.of("heartbeat-interval", heartbeatInterval, "master-timeout", masterTimeout,
                "replicate-timeout", replicateTimeout, "stall-timeout", stallTimeout).entrySet()) {
            if (d.getValue() != null && (d.getValue().isZero() || d.getValue().isNegative())) {
                throw new IllegalArgumentException("dtx.replication." + d.getKey() + " must be positive, was "
                        + d.getValue());
            }
        }
        if (heartbeatInterval != null && masterTimeout != null && masterTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("dtx.replication.master-timeout (" + masterTimeout + ") must be longer "
                    + "than heartbeat-interval (" + heartbeatInterval + "): slaves would count a live master gone "
                    + "between two heartbeats");
        }
    }

    /**
     * @param acks k: how many slave acks a SEMI_SYNC write waits for
     * @param timeout how long it waits before the master degrades to async
     */
    public record SemiSync(@DefaultValue("1") @Min(1) int acks, @DefaultValue("1s") @NotNull Duration timeout) {
    }
}
