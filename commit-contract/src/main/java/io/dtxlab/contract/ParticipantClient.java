package io.dtxlab.contract;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.messaging.MessageOutcome;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A coordinator's typed client of the participants. */
public class ParticipantClient {

    private final ClusterClient client;

    public ParticipantClient(ClusterClient client) {
        this.client = client;
    }

    /** Sends a batch of branch messages to {@code participant}; the replies come in the same order. */
    public CompletableFuture<BranchBatchReply> send(String participant, BranchBatch batch, Duration timeout) {
        String scope = batch.messages().size() == 1 ? batch.messages().get(0).xid() : null;
        return client.postAsync(participant, "branch-batch", scope, CommitPaths.BATCH, batch, BranchBatchReply.class,
                timeout);
    }

    /** The branch's state; ABORTED if the participant never heard of it; empty if it could not be asked. */
    public Optional<BranchState> state(String participant, String xid) {
        try {
            return Optional.ofNullable(client.get(participant, "state-request", xid, CommitPaths.branchState(xid),
                    BranchStateAnswer.class).state());
        } catch (ClusterCallException e) {
            return e.outcome() == MessageOutcome.REFUSED ? Optional.of(BranchState.ABORTED) : Optional.empty();
        }
    }

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record BranchStateAnswer(String xid, BranchState state) {
    }
}
