package io.dtxlab.contract;

import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Reply;
import io.dtxlab.platform.concurrent.Futures;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.messaging.MessageOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.http.ProblemDetail;

/**
 * What a coordinator sends a participant, typed, through the one {@link ClusterClient} (partitions, fault points
 * {@code send:<kind>}/{@code reply:<kind>}, message record and metrics all apply). A plain class: the coordinator
 * registers it as a bean.
 */
public final class ParticipantClient {

    /** The message kind of a batch (fault points {@code send:branch-batch}, {@code reply:branch-batch}). */
    public static final String BATCH_KIND = "branch-batch";
    /** The message kind of the termination rule's state request. */
    public static final String STATE_KIND = "state-request";

    private final ClusterClient client;

    public ParticipantClient(ClusterClient client) {
        this.client = client;
    }

    /**
     * Sends a batch to {@code participant} ({@code POST} {@link CommitPaths#BATCH}, kind {@value #BATCH_KIND}, scope
     * the xid when the batch carries one message, else none), over a peer link when links are on
     * ({@link ClusterClient#postOverLink}). The future completes with one reply per message, in
     * order (a STALE or CONFLICT is a reply; so is a message that failed alone, {@link BranchReply#isFailure()}), or
     * exceptionally with a {@link ClusterCallException} when the batch as a whole was lost, refused (400: invalid,
     * nothing handled) or failed: then every message of it counts as lost.
     *
     * @param timeout how long the answer to the whole batch may take
     */
    public CompletableFuture<BranchBatchReply> send(String participant, BranchBatch batch, Duration timeout) {
        return client.postOverLink(participant, BATCH_KIND, Batches.scope(batch.messages(), BranchMessage::xid),
                CommitPaths.BATCH, batch, BranchBatchReply.class, timeout).thenApply(reply -> Batches.oneAnswerEach(
                        participant, reply, reply == null ? null : reply.replies(), batch.messages().size()));
    }

    /**
     * Sends one message on its own path ({@link CommitPaths#branch}, kind {@link CommitPaths#kind} such as
     * {@code prepare} or {@code do-commit}, scope the xid, body {@link BranchMessageBody}). A 409 STALE or CONFLICT
     * problem completes the future with that reply (as in a batch), so callers see one shape for both paths; any
     * other failure completes it exceptionally with the {@link ClusterCallException}.
     */
    public CompletableFuture<BranchReply> send(String participant, BranchMessage message, Duration timeout) {
        String kind = CommitPaths.kind(message.command(), message.protocol());
        return client.postAsync(participant, kind, message.xid(),
                CommitPaths.branch(message.xid(), message.command(), message.protocol()), message.body(),
                BranchReply.class, timeout)
                .exceptionally(error -> refusal(participant, message.xid(), error).orElseThrow(() ->
                        error instanceof CompletionException c ? c : new CompletionException(error)));
    }

    /**
     * The state of {@code participant}'s branch of {@code xid} ({@code GET} {@link CommitPaths#branchState}, kind
     * {@value #STATE_KIND}), as the 3PC termination rule asks for it.
     *
     * @return the state; {@link BranchState#ABORTED} when the participant answers 404 (it never heard of the
     *         transaction, so its branch can never commit: a late prepare would be refused after the abort the
     *         rule then sends, and a branch that never voted cannot commit alone); empty when it cannot be asked now
     *         (unreachable, partitioned, timed out, any other answer): the rule must not count it
     */
    public Optional<BranchState> state(String participant, String xid, Duration timeout) {
        return askState(participant, xid, timeout);
    }

    /** As {@link #state(String, String, Duration)}, within the cluster client's read timeout. */
    public Optional<BranchState> state(String participant, String xid) {
        return askState(participant, xid, null);
    }

    private Optional<BranchState> askState(String participant, String xid, Duration timeout) {
        try {
            String path = CommitPaths.branchState(xid);
            BranchStatus status = timeout == null
                    ? client.get(participant, STATE_KIND, xid, path, BranchStatus.class)
                    : client.get(participant, STATE_KIND, xid, path, BranchStatus.class, timeout);
            return Optional.ofNullable(status == null ? null : status.state());
        } catch (ClusterCallException e) {
            if (e.outcome() == MessageOutcome.REFUSED && e.peerStatus() == 404) {
                return Optional.of(BranchState.ABORTED);
            }
            return Optional.empty();
        }
    }

    /** The part of a participant's branch view the termination rule reads. */
    record BranchStatus(String xid, BranchState state) {
    }

    /** A single-message answer of 409 STALE or CONFLICT, read back into the reply it stands for. */
    static Optional<BranchReply> refusal(String participant, String xid, Throwable error) {
        Throwable cause = Futures.cause(error);
        if (!(cause instanceof ClusterCallException e) || e.peerStatus() != 409 || e.peerProblem() == null) {
            return Optional.empty();
        }
        ProblemDetail problem = e.peerProblem();
        Map<String, Object> properties = problem.getProperties() == null ? Map.of() : problem.getProperties();
        Reply reply = enumOf(Reply.class, properties.get("reply"));
        if (reply != Reply.STALE && reply != Reply.CONFLICT) {
            return Optional.empty();
        }
        return Optional.of(new BranchReply(xid, participant, reply, enumOf(BranchState.class, properties.get("state")),
                problem.getDetail()));
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
