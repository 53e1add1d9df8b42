package io.dtxlab.platform;

import io.dtxlab.core.cluster.NodeRole;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything a lab node is told from outside. The launcher and docker compose set these through
 * environment variables ({@code DTX_NODE_ID}, {@code DTX_DATA_DIR}, {@code DTX_CLUSTER_MEMBERS},
 * {@code DTX_SECURITY_CLUSTER_TOKEN}, {@code DTX_SECURITY_ADMIN_TOKEN}).
 *
 * @param node who this node is
 * @param dataDir where this node keeps its files (H2 database); defaults to {@code ./data/<node id>}
 * @param cluster the other nodes
 * @param security the tokens that guard internal and admin endpoints
 * @param client timeouts of the cluster client
 * @param datagrams the datagram transport for small, loss-tolerant messages (heartbeats)
 */
@Validated
@ConfigurationProperties("dtx")
public record LabProperties(
        @Valid @NotNull Node node,
        Path dataDir,
        @Valid @NotNull @DefaultValue Cluster cluster,
        @Valid @NotNull @DefaultValue Security security,
        @Valid @NotNull @DefaultValue Client client,
        @Valid @NotNull @DefaultValue Datagrams datagrams) {

    /**
     * @param id the node id, e.g. {@code coordinator-2}; names the node in logs, messages and metrics
     * @param role what this node does; each service sets its own
     */
    public record Node(@NotBlank String id, @NotNull NodeRole role) {
    }

    /** @param members every node of the cluster as {@code id@url,id@url,...} */
    public record Cluster(@DefaultValue("") String members) {
    }

    /**
     * @param clusterToken needed on {@code /internal/**}: calls between our services (header X-Cluster-Token)
     * @param adminToken needed on {@code /admin/**}: fault injection and node control (header X-Admin-Token)
     */
    public record Security(
            @NotBlank(message = "is required: set DTX_SECURITY_CLUSTER_TOKEN (./dtx up and docker compose do)") String clusterToken,
            @NotBlank(message = "is required: set DTX_SECURITY_ADMIN_TOKEN (./dtx up and docker compose do)") String adminToken) {
    }

    /**
     * @param connectTimeout how long the cluster client waits to connect to a peer
     * @param readTimeout how long it waits for a peer's answer before the message counts as lost
     * @param maxConnections pooled connections in all; per peer it is a quarter of this
     * @param sendThreads at most this many threads carry asynchronous messages ({@code postAsync}); they start when
     *     no idle one is left and are reused; when all are busy the caller sends the message itself (back-pressure)
     * @param peerLinks whether the messages the protocols send most (participant batches, begin batches, Paxos
     *     messages) go over peer links, long-lived WebSocket connections carrying binary frames
     *     ({@code io.dtxlab.platform.messaging.PeerLinks}), rather than one HTTP exchange each. Default true; with
     *     tracing on they go over HTTP whatever this says, so that each message is a span
     */
    public record Client(
            @DefaultValue("1s") Duration connectTimeout,
            @DefaultValue("5s") Duration readTimeout,
            @DefaultValue("200") @Min(1) int maxConnections,
            @DefaultValue("64") @Min(1) int sendThreads,
            @DefaultValue("true") boolean peerLinks) {
    }

    /**
     * @param enabled whether this node sends and receives datagrams on the UDP port of its own HTTP port number
     *     ({@link io.dtxlab.platform.messaging.PeerDatagrams}); when false, or when that port cannot be bound, every
     *     message goes over HTTP. Default true
     */
    public record Datagrams(@DefaultValue("true") boolean enabled) {
    }
}
