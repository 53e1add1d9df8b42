package io.dtxlab.order.order;

import io.dtxlab.contract.BeginBatch;
import io.dtxlab.contract.BeginBatchReply;
import io.dtxlab.contract.BeginTransaction;
import io.dtxlab.contract.CoordinatorClient;
import io.dtxlab.contract.TransactionAnswer;
import io.dtxlab.platform.concurrent.Futures;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.MessageOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * for at most {@code hold}; after that the next batch leaves without waiting for it, up to eight batches (or
 * {@code requestsInFlight}, if more) waiting for their answer at once.
 * <p>
 * Metrics: {@code dtx.orders.begin{stage}} times each begin's two waits. {@code queued}: from its arrival until the
 * request carrying it left (the wave ahead of it); {@code answer}: from then until its batch's answer came, for a
 * request answered 2xx (so it holds the coordinator's phases). A begin asked again elsewhere counts once per
 * request. With the coordinators' {@code dtx.tx.phase}, they show where an order's time goes ({@code ./dtx bench}
 * reports them as {@code stagesMs}).
 */
@Component
class BeginBatching {

    /** The least {@link #mostUnanswered} there is. */
    private static final int MOST_UNANSWERED = 8;

    private final CoordinatorClient client;
    private final int requestsInFlight;
    /**
     * However long they are held, at most this many batches wait for their answer at once: so a coordinator that
     * stopped answering (paused, or partitioned away) holds a bounded share of the send threads and connections.
     */
    private final int mostUnanswered;
    private final Executor afterHold;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final Timer queuedTimer;
    private final Timer answerTimer;

    /**
     * @param requestsInFlight batches out to one coordinator at once ({@code dtx.orders.begin-requests-in-flight}):
     *     more lets begins leave sooner, fewer makes larger batches. One is the default: the leader then receives
     *     the begins in waves, and each wave's records and messages ride few consensus rounds and requests (measured
     *     with {@code ./dtx bench orders} at 128 clients: 233-245 confirmed orders/s with one, 196-213 with eight)
     * @param hold the longest one batch counts against {@code requestsInFlight} ({@code dtx.orders.begin-hold}):
     *     how long a slow transaction may hold back the orders behind it
     */
    BeginBatching(CoordinatorClient client, @Value("${dtx.orders.begin-requests-in-flight:1}") int requestsInFlight,
            @Value("${dtx.orders.begin-hold:250ms}") Duration hold, MeterRegistry meters) {
        if (requestsInFlight < 1) {
            throw new IllegalArgumentException("dtx.orders.begin-requests-in-flight must be at least 1");
        }
        if (hold.isNegative() || hold.isZero()) {
            throw new IllegalArgumentException("dtx.orders.begin-hold must be positive");
        }
        this.client = client;
        this.requestsInFlight = requestsInFlight;
        this.mostUnanswered = Math.max(requestsInFlight, MOST_UNANSWERED);
        // runs on the JDK's delay-scheduler thread: releasing a lane only takes its lock and hands a request over
        this.afterHold = CompletableFuture.delayedExecutor(hold.toNanos(), TimeUnit.NANOSECONDS, Runnable::run);
        this.queuedTimer = stage(meters, "queued", "from a begin's arrival until the request carrying it left");
        this.answerTimer = stage(meters, "answer", "from a begin's request leaving until its batch's answer came");
    }

    private static Timer stage(MeterRegistry meters, String stage, String what) {
        return Timer.builder("dtx.orders.begin").tag("stage", stage)
                .description("How long a begin waited in the order service's lane to its coordinator: " + what)
                .register(meters);
    }

    /**
     * Queues {@code begin} for {@code coordinator}'s next batch request; the future completes with its answer in that
     * batch (which {@link #settle} finishes), or with the {@link ClusterCallException} of the request that carried it
     * (a follower: 503 not leader).
     *
     * @param within how long the answer to the request carrying it may take
     */
    CompletableFuture<TransactionAnswer> submit(String coordinator, BeginTransaction begin, Duration within) {
        Queued queued = new Queued(begin, new CompletableFuture<>(), System.nanoTime());
        lanes.computeIfAbsent(coordinator, Lane::new).offer(queued, within);
        return queued.answer();
    }

    /**
     * {@code answer} from a batch, or, when {@code begin} failed on its own inside its batch or its batch was refused
     * (4xx), the answer of {@code begin} begun again alone, so the caller sees its own answer or error.
     */
    TransactionAnswer settle(String coordinator, BeginTransaction begin, TransactionAnswer answer, Duration within) {
        return answer.failure() == null ? answer : client.begin(coordinator, begin, within);
    }

    /** @param since when it arrived ({@link System#nanoTime}) */
    private record Queued(BeginTransaction begin, CompletableFuture<TransactionAnswer> answer, long since) {
    }

    /** The begins bound for one coordinator: those waiting for a request, and how many requests are out. */
    private final class Lane {

        private final String coordinator;
        private final ArrayDeque<Queued> waiting = new ArrayDeque<>();
        /** Batches counting against {@code requestsInFlight}: sent, neither answered nor held past the hold. */
        private int inFlight;
        /** Batches sent and not answered, held or not: at most {@code mostUnanswered}. */
        private int unanswered;

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
            if (inFlight >= requestsInFlight || unanswered >= mostUnanswered || waiting.isEmpty()) {
                return null;
            }
            List<Queued> batch = new ArrayList<>(Math.min(waiting.size(), BeginBatch.MAX));
            while (!waiting.isEmpty() && batch.size() < BeginBatch.MAX) {
                batch.add(waiting.poll());
            }
            inFlight++;
            unanswered++;
            return batch;
        }

        /**
         * Ends a batch's count against {@code requestsInFlight} ({@code counted}: true while it counts), once, and
         * sends the next batch if one may go now. {@code answered}: the batch's answer came (else its hold ran out).
         */
        private void release(AtomicBoolean counted, boolean answered, Duration within) {
            boolean wasCounted = counted.compareAndSet(true, false);
            if (!wasCounted && !answered) {
                return;
            }
            List<Queued> next;
            synchronized (this) {
                if (wasCounted) {
                    inFlight--;
                }
                if (answered) {
                    unanswered--;
                }
                next = takeIfFree();
            }
            if (next != null) {
                send(next, within);
            }
        }

        private void send(List<Queued> batch, Duration within) {
            long sentAt = System.nanoTime();
            batch.forEach(q -> queuedTimer.record(sentAt - q.since(), TimeUnit.NANOSECONDS));
            AtomicBoolean counted = new AtomicBoolean(true);
            afterHold.execute(() -> release(counted, false, within));
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
                if (cause == null) { // a failed request (a follower, a timeout) is no answer: the order asks again
                    long out = System.nanoTime() - sentAt;
                    for (int i = 0; i < batch.size(); i++) {
                        answerTimer.record(out, TimeUnit.NANOSECONDS); // once per begin, as queued is
                    }
                }
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
                release(counted, true, within);
            });
        }
    }
}
