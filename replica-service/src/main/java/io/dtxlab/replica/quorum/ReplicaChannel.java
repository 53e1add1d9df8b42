package io.dtxlab.replica.quorum;

import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * How a coordinator reaches one replica of a key. The coordinator's own replica is called in-process (no message),
 * every other one through the cluster client, in parallel, each with the request timeout as its answer deadline.
 */
@Component
class ReplicaChannel {

    static final String PUT = "quorum-put";
    static final String HINT = "quorum-hint";
    static final String READ = "quorum-read";
    static final String READ_REPAIR = "read-repair";
    static final String HANDOFF = "hint-handoff";

    private final ClusterClient client;
    private final QuorumReplica local;
    private final Duration timeout;

    ReplicaChannel(ClusterClient client, QuorumReplica local, QuorumProperties properties) {
        this.client = client;
        this.local = local;
        this.timeout = properties.requestTimeout();
    }

    String self() {
        return client.self();
    }

    boolean isLocal(String node) {
        return client.self().equals(node);
    }

    CompletableFuture<ReplicaMessages.Ack> put(String node, String kind, ReplicaMessages.Put put) {
        if (isLocal(node)) {
            return completeLocally(() -> local.put(put, node));
        }
        return client.postAsync(node, kind, put.key(), "/internal/quorum/put", put, ReplicaMessages.Ack.class, timeout);
    }

    CompletableFuture<ReplicaMessages.Versions> read(String node, String key, String hintsFor) {
        if (isLocal(node)) {
            return completeLocally(() -> local.read(key, hintsFor));
        }
        return client.postAsync(node, READ, key, "/internal/quorum/read", new ReplicaMessages.Read(key, hintsFor),
                ReplicaMessages.Versions.class, timeout);
    }

    private static <T> CompletableFuture<T> completeLocally(java.util.function.Supplier<T> work) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
