package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.FailoverPolicy;
import io.dtxlab.core.replication.Op;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Where a client's write goes: the master writes it; a slave forwards it to its master (kind {@code forward}) and
 * relays the master's receipt or problem, so a client may write to any replica. A slave that has lost its master
 * refuses at once with a 503 that says why (WAIT: until it returns; ELECT: until a new one is elected).
 */
@Component
class WriteRouter {

    private final ReplicaState state;
    private final MasterWriter writer;
    private final ClusterClient client;
    private final Duration forwardTimeout;

    WriteRouter(ReplicaState state, MasterWriter writer, ClusterClient client, ReplicationProperties properties) {
        this.state = state;
        this.writer = writer;
        this.client = client;
        this.forwardTimeout = properties.replicateTimeout().plus(properties.semiSync().timeout()).plusSeconds(2);
    }

    Receipt write(Op op, String key, String value) {
        if (state.isMaster()) {
            return writer.write(op, key, value);
        }
        String master = state.master();
        if (!state.hearsMaster()) {
            throw ReplicationProblems.writesRefused(state.self() + " has not heard its master " + master + " for "
                    + state.msSinceMasterHeard() + " ms; " + (state.failover() == FailoverPolicy.WAIT
                            ? "failover WAIT: writes are refused until it returns"
                            : "failover ELECT: writes are refused until a new master is elected")
                    + "; reads are still served", Map.of("master", master, "failover", state.failover()));
        }
        try {
            Receipt receipt = client.post(master, "forward", key, "/internal/replication/writes",
                    new Messages.WriteRequest(op, key, value), Receipt.class, forwardTimeout);
            return receipt.forwardedBy(state.self());
        } catch (ClusterCallException e) {
            ProblemDetail problem = e.peerProblem();
            if (problem != null && e.peerStatus() > 0) {
                problem.setProperty("forwardedBy", state.self());
                throw new ErrorResponseException(HttpStatusCode.valueOf(e.peerStatus()), problem, e);
            }
            throw ReplicationProblems.writesRefused(state.self() + " could not forward the write to master " + master + ": "
                    + e.outcome() + "; reads are still served", Map.of("master", master, "outcome", e.outcome()));
        }
    }
}
