package io.dtxlab.contract;

import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ProblemDetail;

/**
 * What the order service and the participants send a coordinator, typed, through the one {@link ClusterClient}. A
 * plain class: the participant kit registers it as a bean. A coordinator that does not lead answers 503
 * {@link NotLeaderProblem}; {@link #isNotLeader} and {@link #leaderHint} read that answer.
 */
public final class CoordinatorClient {

    /**
     * The message kind of a begin, alone or in a batch: fault points {@code send:begin} and {@code reply:begin} act on
     * the request that carries it.
     */
    public static final String BEGIN_KIND = "begin";
    /** The message kind of an in-doubt participant's question. */
    public static final String DECISION_KIND = "decision-request";
    private final ClusterClient client;

    public CoordinatorClient(ClusterClient client) {
        this.client = client;
    }

    /**
     * Runs a global transaction at {@code coordinator} ({@code POST} {@link CommitPaths#TRANSACTIONS}, kind
     * {@value #BEGIN_KIND}, scope the xid) and waits up to {@code timeout} for its answer. Beginning an xid the
     * coordinator already has answers with that transaction's state, so a retry elsewhere is safe.
     *
     * @throws ClusterCallException when it did not answer 2xx; {@link #isNotLeader} tells a follower's answer apart
     */
    public TransactionAnswer begin(String coordinator, BeginTransaction begin, Duration timeout) {
        return client.post(coordinator, BEGIN_KIND, begin.xid(), CommitPaths.TRANSACTIONS, begin,
                TransactionAnswer.class, timeout);
    }

    /**
     * Begins several transactions at {@code coordinator} in one request ({@code POST}
     * {@link CommitPaths#TRANSACTIONS_BATCH}, kind {@value #BEGIN_KIND}, scope the xid when the batch carries one
     * begin, else none), over a peer link when links are on ({@link ClusterClient#postOverLink}). The future completes with one answer per begin, in order, once all of them may be answered;
     * or exceptionally with a {@link ClusterCallException} when the batch as a whole did not get a 2xx answer (a
     * follower: {@link #isNotLeader}).
     *
     * @param timeout how long the answer to the whole batch may take
     */
    public CompletableFuture<BeginBatchReply> beginBatch(String coordinator, BeginBatch batch, Duration timeout) {
        return client.postOverLink(coordinator, BEGIN_KIND, Batches.scope(batch.transactions(), BeginTransaction::xid),
                CommitPaths.TRANSACTIONS_BATCH, batch, BeginBatchReply.class, timeout).thenApply(reply ->
                        Batches.oneAnswerEach(coordinator, reply, reply == null ? null : reply.answers(),
                                batch.transactions().size()));
    }

    /**
     * Asks {@code coordinator} what was decided for {@code xid} ({@code POST} {@link CommitPaths#decision}, kind
     * {@value #DECISION_KIND}, scope the xid, no body).
     *
     * @throws ClusterCallException when it did not answer 2xx (a follower: {@link #isNotLeader})
     */
    public TransactionDecision decision(String coordinator, String xid, Duration timeout) {
        return client.post(coordinator, DECISION_KIND, xid, CommitPaths.decision(xid), null,
                TransactionDecision.class, timeout);
    }

    /** Whether {@code e} is a coordinator's "I do not lead" answer: 503 with {@link NotLeaderProblem#TYPE}. */
    public static boolean isNotLeader(ClusterCallException e) {
        ProblemDetail problem = e.peerProblem();
        if (e.peerStatus() != 503 || problem == null) {
            return false;
        }
        return NotLeaderProblem.is(problem);
    }

    /** The leader a not-leader answer names, if {@code e} is one ({@link #isNotLeader}) and names one. */
    public static Optional<String> leaderHint(ClusterCallException e) {
        return isNotLeader(e) ? NotLeaderProblem.leader(e.peerProblem()) : Optional.empty();
    }
}
