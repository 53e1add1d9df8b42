package io.dtxlab.order.order;

import io.dtxlab.contract.BeginBatch;
import io.dtxlab.contract.BeginBatchReply;
import io.dtxlab.contract.BeginTransaction;
import io.dtxlab.contract.CoordinatorClient;
import io.dtxlab.contract.TransactionAnswer;
import io.dtxlab.platform.concurrent.Futures;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.MessageOutcome;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Begins transactions at a coordinator, several in one request when orders arrive faster than it answers (natural
 * batching, as the coordinator batches its messages to participants). At most {@code requestsInFlight} batches are
 * out to one coordinator; a begin that finds them all out waits for the next one, which carries every begin queued
 * by then. So an idle order service sends each begin at once, alone, and a busy one sends fewer, larger requests:
 * the coordinator runs each transaction exactly as if it had been begun alone.
 * <p>
 * A batch is answered only when every transaction in it may be answered, so one slow transaction (a participant
 * that does not vote, say) would hold its lane for as long as it takes. A batch therefore counts against the limit
 * for at most {@code hold}; after that the next batch leaves without waiting for it.
 */
@Component
class BeginBatching {

    private final CoordinatorClient client;
    private final int requestsInFlight;
    private final Executor afterHold;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    /**
     * @param requestsInFlight batches out to one coordinator at once ({@code dtx.orders.begin-requests-in-flight}):
     *     more lets begins leave sooner, fewer makes larger batches. One is the default: the leader then receives
     *     the begins in waves, and each wave's records and messages ride few consensus rounds and requests (measured
     *     with {@code ./dtx bench orders} at 128 clients: 233-245 confirmed orders/s with one, 196-213 with eight)
     * @param hold the longest one batch counts against {@code requestsInFlight} ({@code dtx.orders.begin-hold}):
     *     how long a slow transaction may hold back the orders behind it
     */
    BeginBatching(CoordinatorClient client, @Value("${dtx.orders.begin-requests-in-flight:1}") int requestsInFlight,
            @Value("${dtx.orders.begin-hold:250ms}") Duration hold) {
        if (requestsInFlight < 1) {
            throw new IllegalArgumentException("dtx.orders.begin-requests-in-flight must be at least 1");
        }
        if (hold.isNegative() || hold.isZero()) {
            throw new IllegalArgumentException("dtx.orders.begin-hold must be positive");
        }
        this.client = client;
        this.requestsInFlight = requestsInFlight;
        // runs on the JDK's delay-scheduler thread: releasing a lane only takes its lock and hands a request over
        this.afterHold = CompletableFuture.delayedExecutor(hold.toNanos(), TimeUnit.NANOSECONDS, Runnable::run);
    }

    /**
     * Begins {@code begin} at {@code coordinator} and waits for its answer, as {@link CoordinatorClient#begin} does.
     * A begin that failed on its own inside a batch, or whose batch was refused (4xx), is begun again alone, so the
     * caller sees its own answer or error.
     *
     * @param within how long the answer to the request carrying it may take
     * @throws ClusterCallException when the request carrying it got no 2xx answer (a follower: 503 not leader)
     */
    TransactionAnswer begin(String coordinator, BeginTransaction begin, Duration within) {
        Queued queued = new Queued(begin, new CompletableFuture<>());
        lanes.computeIfAbsent(coordinator, Lane::new).offer(queued, within);
        TransactionAnswer answer;
        try {
            answer = queued.answer().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        return answer.failure() == null ? answer : client.begin(coordinator, begin, within);
    }

    private record Queued(BeginTransaction begin, CompletableFuture<TransactionAnswer> answer) {
    }

    /** The begins bound for one coordinator: those waiting for a request, and how many requests are out. */
    private final class Lane {

        private final String coordinator;
        private final ArrayDeque<Queued> waiting = new ArrayDeque<>();
        private int inFlight;

        Lane(String coordinator) {
            this.coordinator = coordinator;
        }

        void offer(Queued queued, Duration within) {
            List<Queued> batch;
            synchronized (this) {
                waiting.add(queued);
                batch = takeIfFree();
            }
            if (batch != null) {
                send(batch, within);
            }
        }

        /** The next batch if a request may go out now; the caller sends it (never under this lock). */
        private List<Queued> takeIfFree() {
            if (inFlight >= requestsInFlight || waiting.isEmpty()) {
                return null;
            }
            List<Queued> batch = new ArrayList<>(Math.min(waiting.size(), BeginBatch.MAX));
            while (!waiting.isEmpty() && batch.size() < BeginBatch.MAX) {
                batch.add(waiting.poll());
            }
            inFlight++;
            return batch;
        }

        /**
         * Ends one batch's count against the limit ({@code counted}, true while it counts), once: when it is
         * answered or when its hold runs out, whichever comes first; then sends the next batch if one waits.
         */
        private void release(AtomicBoolean counted, Duration within) {
            if (!counted.compareAndSet(true, false)) {
                return;
            }
            List<Queued> next;
            synchronized (this) {
                inFlight--;
                next = takeIfFree();
            }
            if (next != null) {
                send(next, within);
            }
        }

        private void send(List<Queued> batch, Duration within) {
            AtomicBoolean counted = new AtomicBoolean(true);
            afterHold.execute(() -> release(counted, within));
            CompletableFuture<BeginBatchReply> reply;
            try {
                reply = client.beginBatch(coordinator, new BeginBatch(batch.stream().map(Queued::begin).toList()),
                        within);
            } catch (RuntimeException e) {
                reply = CompletableFuture.failedFuture(e);
            }
            reply.whenComplete((answers, error) -> {
                Throwable cause = Futures.cause(error);
                // a 4xx refuses the whole batch for one bad begin: each is begun alone, so only that one fails
                boolean refusedTogether = batch.size() > 1 && cause instanceof ClusterCallException e
                        && e.outcome() == MessageOutcome.REFUSED;
                for (int i = 0; i < batch.size(); i++) {
                    Queued queued = batch.get(i);
                    if (refusedTogether) {
                        queued.answer().complete(TransactionAnswer.failed(queued.begin().xid(), cause.getMessage()));
                    } else if (cause != null) {
                        queued.answer().completeExceptionally(cause);
                    } else {
                        queued.answer().complete(answers.answers().get(i));
                    }
                }
                release(counted, within);
            });
        }
    }
}
