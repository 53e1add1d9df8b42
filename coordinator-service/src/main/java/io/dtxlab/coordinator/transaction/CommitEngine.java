package io.dtxlab.coordinator.transaction;

import io.dtxlab.contract.BeginTransaction;
import io.dtxlab.contract.BranchBatch;
import io.dtxlab.contract.BranchBatchReply;
import io.dtxlab.contract.BranchMessage;
import io.dtxlab.contract.BranchReply;
import io.dtxlab.contract.BranchSpec;
import io.dtxlab.contract.CommitPaths;
import io.dtxlab.contract.ParticipantClient;
import io.dtxlab.coordinator.CoordinatorProperties;
import io.dtxlab.coordinator.leadership.Leadership;
import io.dtxlab.coordinator.log.LogEntry;
import io.dtxlab.coordinator.log.LogReceipt;
import io.dtxlab.coordinator.log.LoggedTransaction;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import io.dtxlab.core.commit.coordinator.BranchRequest;
import io.dtxlab.core.commit.coordinator.CoordinatorInput;
import io.dtxlab.core.commit.coordinator.CoordinatorReady;
import io.dtxlab.core.commit.coordinator.CoordinatorStatus;
import io.dtxlab.core.commit.coordinator.CoordinatorTiming;
import io.dtxlab.core.commit.coordinator.Coordinators;
import io.dtxlab.core.commit.coordinator.LogRecord;
import io.dtxlab.core.commit.coordinator.Outcome;
import io.dtxlab.core.commit.coordinator.Phase;
import io.dtxlab.core.commit.coordinator.RecoveredTransaction;
import io.dtxlab.core.commit.coordinator.TimerRequest;
import io.dtxlab.core.commit.coordinator.TransactionCoordinator;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Reply;
import io.dtxlab.platform.concurrent.DaemonThreads;
import io.dtxlab.platform.concurrent.Futures;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.fault.FaultPoint;
import io.dtxlab.platform.fault.Injected;
import io.dtxlab.platform.fault.InjectedFaultException;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.messaging.MessageOutcome;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The edge around the pure coordinator machines ({@link TransactionCoordinator}, one per transaction): one engine
 * thread feeds them their inputs (a begin, a reply, a lost message, a chosen record, a timer) and carries out what
 * they answer, in the order {@link CoordinatorReady} enforces: records to the log first, then messages, timers and
 * the client's answer.
 * <p>
 * The thread never blocks on the network or on consensus. It drains every input that is waiting, then flushes what
 * the machines asked for: all records in one consensus round ({@link TransactionLog#append}, group commit), and all
 * messages to one participant in one request ({@link BranchBatch}). At most {@code requests-in-flight} appends, and
 * as many requests to each participant, wait for their answer at once: what comes meanwhile leaves together with
 * the next one, so batches grow exactly when consensus or a participant falls behind, and nothing waits while they
 * keep up (natural batching). Batching changes how many requests carry the
 * protocol, never the protocol's logical messages: each transaction still sends 4n (2PC), 6n (3PC) or 2n (NONE) and
 * its timeline shows each one. Replies, chosen records and timers come back as inputs on the same thread.
 * <p>
 * The client is answered when every participant has acknowledged the decision (NONE: answered the apply), or
 * {@code answer-within} after the decision became durable, whichever is first; END is logged after that, off the
 * client's path, and is never waited for (presumed abort): it rides the next round another record starts, or goes
 * alone after {@link #END_LINGER}.
 */
@Component
class CommitEngine implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CommitEngine.class);
    /** Inputs handled before the engine flushes records and messages, so one flush never waits behind a flood. */
    private static final int MAX_INPUTS_PER_FLUSH = 4096;
    /** The longest an append counts against {@code requests-in-flight}, chosen or not. */
    private static final Duration ROUND_HOLD = Duration.ofSeconds(2);
    /**
     * The longest END records wait for a consensus round that other records start. Presumed abort never waits for
     * END (it only lets the log forget), so under load it rides the next BEGIN or DECISION round instead of starting
     * rounds of its own: a round costs each of the three coordinators a message, a log write and an apply whatever
     * it carries.
     */
    static final Duration END_LINGER = Duration.ofMillis(100);

    /** One transaction in the engine: its machine, its view, its waiting clients and its timers. */
    private static final class Tx {
        final TransactionCoordinator machine;
        final TransactionRun run;
        final boolean recovered;
        final List<CompletableFuture<TransactionView>> waiters = new ArrayList<>();
        final List<ScheduledFuture<?>> timers = new ArrayList<>();
        /** The trace context of its begin, which its messages carry; null with tracing off (or recovered). */
        Object trace;
        boolean firstAck = true;
        boolean answered;

        Tx(TransactionCoordinator machine, TransactionRun run, boolean recovered) {
            this.machine = machine;
            this.run = run;
            this.recovered = recovered;
        }
    }

    private record PendingRecord(Tx tx, LogRecord record) {
    }

    private record PendingMessage(Tx tx, BranchRequest request, BranchMessage message) {
    }

    private final ClusterClient client;
    private final ParticipantClient participants;
    private final TransactionLog transactionLog;
    private final Transactions transactions;
    private final TimelineStore timelines;
    private final Leadership leadership;
    private final FaultInjector faults;
    private final CoordinatorMetrics metrics;
    private final CoordinatorProperties properties;
    private final CoordinatorTiming timing;
    private final Clock clock = Clock.systemUTC();
    /** Timer jitter, not secrets: seeded once from the system's entropy, then drawn without a system call. */
    private final Random random = new Random(new SecureRandom().nextLong());
    private final BlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    /** Engine thread only. */
    private final Map<String, Tx> active = new HashMap<>();
    private final List<PendingRecord> records = new ArrayList<>();
    /** Messages waiting for their participant's next batch request. */
    private final Map<String, List<PendingMessage>> outgoing = new LinkedHashMap<>();
    /** Batch requests sent to each participant and not yet answered (at most {@code requests-in-flight}). */
    private final Map<String, Integer> requestsInFlight = new HashMap<>();
    /** Appends to the log not yet chosen (at most {@code requests-in-flight}); records asked for meanwhile wait. */
    private int roundsInFlight;
    /** When the oldest record waiting for a round was asked for ({@link System#nanoTime}), if any waits. */
    private long recordsWaitingSince;
    /** How many of the records waiting for a round are not END: any of them starts one. */
    private int recordsNotEnd;
    /** A wake-up is armed for END records that wait alone. */
    private boolean endLingerArmed;
    private ScheduledThreadPoolExecutor timers;
    /** Passes armed fault points (which may sleep or stop the node) off the engine thread. */
    private ExecutorService faultPoints;
    private Thread thread;
    private volatile boolean running;

    CommitEngine(ClusterClient client, ParticipantClient participants, TransactionLog transactionLog, Transactions transactions,
            Leadership leadership, FaultInjector faults, CoordinatorMetrics metrics, CoordinatorProperties properties,
            TimelineStore timelines) {
        this.client = client;
        this.timelines = timelines;
        this.participants = participants;
        this.transactionLog = transactionLog;
        this.transactions = transactions;
        this.leadership = leadership;
        this.faults = faults;
        this.metrics = metrics;
        this.properties = properties;
        this.timing = new CoordinatorTiming(properties.prepareTimeout().toMillis(),
                properties.retryInitialBackoff().toMillis(), properties.retryMaxBackoff().toMillis(), 2_000,
                properties.lockWait().toMillis());
        leadership.onLeadership(this::recoverAll);
    }

    /**
     * Runs a global transaction; the future completes with its view when the client may be answered. A begin of an
     * xid this coordinator knows answers with that transaction.
     *
     * @throws IllegalArgumentException for an unknown protocol, an unknown participant, or two branches of one
     *         participant (nothing is begun)
     */
    CompletableFuture<TransactionView> begin(BeginTransaction request) {
        CommitProtocol protocol = CommitProtocol.parse(request.protocol());
        long distinct = request.branches().stream().map(BranchSpec::participant).distinct().count();
        if (distinct != request.branches().size()) {
            throw new IllegalArgumentException("each participant may have one branch only");
        }
        Coordinators.checkLocks(protocol, request.branches().stream().map(BranchSpec::participant).toList(),
                semanticLocks(request.branches()));
        for (BranchSpec branch : request.branches()) {
            if (client.members().url(branch.participant()).isEmpty()) {
                throw new IllegalArgumentException("unknown participant '" + branch.participant() + "'");
            }
        }
        TransactionRun done = transactions.findFinished(request.xid());
        if (done != null) {
            // answered here: by the time the engine thread looked, a logged run may have left memory for the log
            return CompletableFuture.completedFuture(done.view());
        }
        TransactionRun known = transactions.find(request.xid());
        if (known == null && protocol.isAtomic()) {
            Optional<LoggedTransaction> logged = transactionLog.find(request.xid());
            if (logged.isPresent()) {
                // begun before, finished and forgotten in memory (or begun by an earlier leader): the log knows
                return CompletableFuture.completedFuture(TransactionController.fromLog(logged.get()));
            }
        }
        CompletableFuture<TransactionView> answer = new CompletableFuture<>();
        long epoch = leadership.epoch();
        String self = leadership.leader();
        Object trace = client.tracing().capture(); // the begin's request thread; null with tracing off
        inbox.add(() -> start(request, protocol, self, epoch, answer, trace));
        return answer;
    }

    // ---- the engine thread

    private void loop() {
        while (running) {
            try {
                Runnable input = inbox.take();
                int handled = 0;
                do {
                    run(input);
                    handled++;
                } while (handled < MAX_INPUTS_PER_FLUSH && (input = inbox.poll()) != null);
                flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("commit engine: {}", e.toString(), e);
            }
        }
    }

    private static void run(Runnable input) {
        try {
            input.run();
        } catch (RuntimeException e) {
            log.error("commit engine: an input failed: {}", e.toString(), e);
        }
    }

    private void start(BeginTransaction request, CommitProtocol protocol, String self, long epoch,
            CompletableFuture<TransactionView> answer, Object trace) {
        Tx existing = active.get(request.xid());
        if (existing != null) {
            waitFor(existing, answer);
            return;
        }
        TransactionRun finished = transactions.find(request.xid());
        if (finished != null) {
            answer.complete(finished.view());
            return;
        }
        if (protocol.isAtomic() && transactions.finishedLately(request.xid())) {
            // it ended and left memory while this begin waited in the inbox: the log answers, off this thread
            faultPoints.execute(() -> transactionLog.find(request.xid()).map(TransactionController::fromLog)
                    .ifPresentOrElse(answer::complete, () -> answer.completeExceptionally(new IllegalStateException(
                            "transaction " + request.xid() + " ended here but its log record is gone"))));
            return;
        }
        TransactionRun run = new TransactionRun(request.xid(), protocol, request.branches(), self, epoch, clock,
                clock.instant());
        List<String> names = run.participants();
        Tx tx = new Tx(Coordinators.begin(request.xid(), protocol, names, semanticLocks(request.branches()), timing,
                random), run, false);
        tx.trace = trace;
        transactions.add(run);
        active.put(run.xid(), tx);
        tx.waiters.add(answer);
        if (protocol.isAtomic()) {
            log.info("[{}] BEGIN {} with {}", run.xid(), protocol.label(), names);
        } else {
            log.info("[{}] NONE with {}: apply at once, nothing logged", run.xid(), names);
        }
        step(tx, new CoordinatorInput.Start());
    }

    /** A client that asks again for a transaction in progress: answered with the first, or at answer-within. */
    private void waitFor(Tx tx, CompletableFuture<TransactionView> answer) {
        if (tx.answered) {
            answer.complete(tx.run.view());
            return;
        }
        tx.waiters.add(answer);
        if (tx.run.isDecisionDurable()) {
            answerWithin(tx);
        }
    }

    private void step(Tx tx, CoordinatorInput input) {
        if (active.get(tx.run.xid()) != tx) {
            return; // finished or abandoned: a late reply or timer
        }
        Phase before = tx.machine.status().phase();
        CoordinatorReady ready = tx.machine.step(input);
        CoordinatorStatus status = tx.machine.status();
        tx.run.status(status);
        String point = faultPoint(tx, before, input, ready);
        if (point != null && faults.isArmed()) {
            String peer = input instanceof CoordinatorInput.Acknowledged a ? a.participant() : null;
            faultPoints.execute(() -> {
                try {
                    faults.at(point, tx.run.xid(), peer);
                    inbox.add(() -> carryOut(tx, ready));
                } catch (InjectedFaultException e) {
                    inbox.add(() -> abandon(tx, e));
                }
            });
            return;
        }
        carryOut(tx, ready);
    }

    /** The fault point this step passes before its output is carried out, if any. */
    private static String faultPoint(Tx tx, Phase before, CoordinatorInput input, CoordinatorReady ready) {
        for (LogRecord record : ready.records()) {
            if (record instanceof LogRecord.PreCommit) {
                return CoordinatorFaults.AFTER_VOTES; // 3PC: every vote is in, nothing is decided
            }
            if (record instanceof LogRecord.DecisionRecord && !tx.recovered) {
                return before == Phase.PRE_COMMIT ? CoordinatorFaults.AFTER_PRE_COMMIT : CoordinatorFaults.AFTER_VOTES;
            }
        }
        if (input instanceof CoordinatorInput.Logged l && l.record() instanceof LogRecord.DecisionRecord && !tx.recovered) {
            return CoordinatorFaults.AFTER_DECISION; // durable, and no phase-2 message has left
        }
        if (input instanceof CoordinatorInput.Acknowledged a && a.phase() == Phase.DECISION && tx.firstAck) {
            tx.firstAck = false;
            return CoordinatorFaults.AFTER_FIRST_COMMIT;
        }
        return null;
    }

    private void carryOut(Tx tx, CoordinatorReady ready) {
        if (active.get(tx.run.xid()) != tx) {
            return;
        }
        CoordinatorReady.Outbox out = ready.log(record -> {
            if (records.isEmpty()) {
                recordsWaitingSince = System.nanoTime();
            }
            if (!(record instanceof LogRecord.End)) {
                recordsNotEnd++;
            }
            records.add(new PendingRecord(tx, record));
        });
        for (BranchRequest request : out.messages()) {
            send(tx, request);
        }
        for (TimerRequest timer : out.timers()) {
            schedule(tx, timer.afterMillis(), () -> step(tx, new CoordinatorInput.TimerFired(timer.kind(),
                    timer.participant())));
        }
        out.answer().ifPresent(outcome -> answered(tx, outcome));
    }

    private void send(Tx tx, BranchRequest request) {
        TransactionRun run = tx.run;
        String participant = request.participant();
        String kind = request.isStateRequest() ? "state-request"
                : CommitPaths.kind(request.command(), run.protocol().label());
        run.sent(kind, participant, request.attempt() > 1 ? "attempt " + request.attempt() : null);
        if (request.isStateRequest()) {
            askState(tx, participant);
            return;
        }
        BranchCommand command = request.command();
        // what a branch may meet first carries the payload: an abort, cancel or compensation may overtake its step
        boolean carriesPayload = command == BranchCommand.PREPARE || command == BranchCommand.CAN_COMMIT
                || command == BranchCommand.APPLY || command == BranchCommand.ABORT || command == BranchCommand.TRY
                || command == BranchCommand.CANCEL || command == BranchCommand.COMPENSATE;
        boolean carriesReason = command == BranchCommand.ABORT || command == BranchCommand.CANCEL
                || command == BranchCommand.COMPENSATE;
        BranchMessage message = new BranchMessage(run.xid(), command, run.coordinator(), run.epoch(),
                run.protocol().label(), carriesPayload ? payloadOf(run, participant) : null,
                carriesReason ? request.reason() : null);
        PendingMessage pending = new PendingMessage(tx, request, message);
        if (!faults.isArmed()) {
            outgoing.computeIfAbsent(participant, p -> new ArrayList<>()).add(pending);
            return;
        }
        // each logical message passes its own fault point (send:prepare, send:commit, ...) before it joins a batch
        faultPoints.execute(() -> {
            try {
                if (faults.at(FaultPoint.SEND + kind, run.xid(), participant) == Injected.DROP) {
                    inbox.add(() -> lost(pending, MessageOutcome.DROPPED + ": an injected fault at send:" + kind));
                    return;
                }
                inbox.add(() -> outgoing.computeIfAbsent(participant, p -> new ArrayList<>()).add(pending));
            } catch (InjectedFaultException e) {
                inbox.add(() -> lost(pending, MessageOutcome.FAILED + ": " + e.getMessage()));
            }
        });
    }

    /**
     * 3PC termination: the branch's state, asked off the engine thread (on the fault-point thread: both are rare); the
     * answer comes back as an input.
     */
    private void askState(Tx tx, String participant) {
        faultPoints.execute(() -> {
            BranchState seen;
            String why = null;
            try {
                seen = participants.state(participant, tx.run.xid()).orElse(null);
            } catch (RuntimeException e) {
                seen = null;
                why = describe(e);
            }
            BranchState state = seen;
            String failure = why;
            inbox.add(() -> {
                if (state != null) {
                    tx.run.received("state " + state, participant, null);
                } else {
                    tx.run.unanswered("state", participant, failure == null ? "no state" : failure);
                }
                step(tx, new CoordinatorInput.BranchStateLearned(participant, state));
            });
        });
    }

    /** Every record asked for since the last flush in one consensus round; every participant's messages in one request. */
    private void flush() {
        if (!records.isEmpty() && roundsInFlight < properties.requestsInFlight() && roundDue()) {
            List<PendingRecord> batch = new ArrayList<>(records);
            records.clear();
            recordsNotEnd = 0;
            List<LogEntry> entries = batch.stream().map(p -> entryOf(p.tx().run, p.record())).toList();
            List<CompletableFuture<LogReceipt>> receipts;
            try {
                receipts = transactionLog.append(entries);
                roundInFlight(receipts);
            } catch (RuntimeException e) {
                batch.forEach(p -> abandon(p.tx(), e));
                receipts = List.of();
            }
            for (int i = 0; i < receipts.size(); i++) {
                PendingRecord p = batch.get(i);
                receipts.get(i).whenComplete((receipt, error) -> inbox.add(() -> {
                    if (error == null) {
                        logged(p.tx(), p.record(), receipt);
                    } else {
                        abandon(p.tx(), Futures.cause(error));
                    }
                }));
            }
        }
        if (!outgoing.isEmpty()) {
            Iterator<Map.Entry<String, List<PendingMessage>>> waiting = outgoing.entrySet().iterator();
            while (waiting.hasNext()) {
                Map.Entry<String, List<PendingMessage>> e = waiting.next();
                String participant = e.getKey();
                List<PendingMessage> all = e.getValue();
                int from = 0;
                while (from < all.size() && requestsInFlight.getOrDefault(participant, 0) < properties.requestsInFlight()) {
                    int to = Math.min(all.size(), from + BranchBatch.MAX);
                    deliver(participant, all.subList(from, to));
                    from = to;
                }
                if (from == all.size()) {
                    waiting.remove();
                } else if (from > 0) {
                    // the rest leaves with the next request, as soon as one in flight is answered
                    e.setValue(new ArrayList<>(all.subList(from, all.size())));
                }
            }
        }
    }

    /**
     * Whether the waiting records start a round now: any record but END does; END records alone wait up to
     * {@link #END_LINGER} for one (a wake-up is armed for then).
     */
    private boolean roundDue() {
        if (recordsNotEnd > 0) {
            return true;
        }
        long waited = System.nanoTime() - recordsWaitingSince;
        if (waited >= END_LINGER.toNanos()) {
            return true;
        }
        if (!endLingerArmed) {
            endLingerArmed = true;
            timers.schedule(() -> inbox.add(() -> endLingerArmed = false), END_LINGER.toNanos() - waited,
                    TimeUnit.NANOSECONDS);
        }
        return false;
    }

    /**
     * Counts an append as in flight until all its records are chosen (or failed), and at most {@link #ROUND_HOLD} in
     * any case: a round that hangs (a leader cut off from the others) must not stop the records of later ones.
     */
    private void roundInFlight(List<CompletableFuture<LogReceipt>> receipts) {
        roundsInFlight++;
        boolean[] released = {false};
        Runnable release = () -> {
            if (!released[0]) {
                released[0] = true;
                roundsInFlight--;
            }
        };
        ScheduledFuture<?> hold = timers.schedule(() -> inbox.add(release), ROUND_HOLD.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture.allOf(receipts.toArray(CompletableFuture[]::new)).whenComplete((all, error) -> {
            hold.cancel(false);
            inbox.add(release);
        });
    }

    private void deliver(String participant, List<PendingMessage> batch) {
        List<PendingMessage> sent = List.copyOf(batch);
        boolean decisions = sent.stream().anyMatch(m -> m.request().phase() == Phase.DECISION
                || m.request().phase() == Phase.COMPENSATION);
        Duration timeout = decisions ? max(properties.messageTimeout(), properties.prepareTimeout())
                : properties.prepareTimeout();
        CompletableFuture<BranchBatchReply> answer;
        BranchBatch request = new BranchBatch(sent.stream().map(PendingMessage::message).toList());
        // one request, one traceparent: the batch joins the trace of its first transaction (null: tracing off)
        Object trace = sent.get(0).tx().trace;
        try {
            answer = trace == null ? participants.send(participant, request, timeout)
                    : client.tracing().within(trace, () -> participants.send(participant, request, timeout));
        } catch (RuntimeException e) {
            String why = describe(e);
            sent.forEach(m -> lost(m, why));
            return;
        }
        requestsInFlight.merge(participant, 1, Integer::sum);
        answer.whenComplete((reply, error) -> inbox.add(() -> {
            requestsInFlight.merge(participant, -1, Integer::sum);
            if (error != null) {
                String why = describe(error);
                sent.forEach(m -> lost(m, why));
            } else {
                replied(participant, sent, reply);
            }
        }));
    }

    private void replied(String participant, List<PendingMessage> sent, BranchBatchReply reply) {
        List<BranchReply> replies = reply.replies();
        boolean armed = faults.isArmed();
        for (int i = 0; i < sent.size(); i++) {
            PendingMessage m = sent.get(i);
            if (i >= replies.size()) {
                lost(m, "no reply in the batch's answer");
            } else if (armed) {
                replyFaultPoint(m, replies.get(i));
            } else {
                replied(participant, m, replies.get(i));
            }
        }
    }

    /**
     * Each logical reply passes its own fault point (reply:prepare, reply:commit, ...), off the engine thread: a
     * DELAY holds back this reply only, DROP and ERROR lose it.
     */
    private void replyFaultPoint(PendingMessage m, BranchReply r) {
        String kind = CommitPaths.kind(m.message().command(), m.message().protocol());
        String participant = m.request().participant();
        faultPoints.execute(() -> {
            try {
                if (faults.at(FaultPoint.REPLY + kind, m.message().xid(), participant) == Injected.DROP) {
                    inbox.add(() -> lost(m, MessageOutcome.DROPPED + ": an injected fault dropped the reply"));
                    return;
                }
                inbox.add(() -> replied(participant, m, r));
            } catch (InjectedFaultException e) {
                inbox.add(() -> lost(m, MessageOutcome.FAILED + ": " + e.getMessage()));
            }
        });
    }

    private void replied(String participant, PendingMessage m, BranchReply r) {
        Tx tx = m.tx();
        Phase phase = m.request().phase();
        if (r.isFailure()) {
            lost(m, "FAILED: " + r.reason());
            return;
        }
        if (r.isRefusal()) {
            String why = "REFUSED: " + r.reason();
            tx.run.unanswered(answerName(phase), participant, why);
            if (phase == Phase.DECISION || phase == Phase.COMPENSATION) {
                String what = phase == Phase.DECISION ? "phase 2" : "compensation";
                tx.run.log(what + " to " + participant + " stopped", why);
                log.error("[{}] {} to {} stopped: {}", tx.run.xid(), what, participant, why);
                step(tx, new CoordinatorInput.Refused(participant, phase, why));
            } else {
                lostInput(tx, participant, phase, why);
            }
            return;
        }
        switch (phase) {
            case VOTE -> {
                Vote vote = r.reply() == Reply.VOTE_YES ? Vote.YES : Vote.NO;
                tx.run.received("vote " + vote, participant, r.reason());
                step(tx, new CoordinatorInput.Voted(participant, vote, r.reason()));
            }
            case PRE_COMMIT -> {
                boolean ok = r.reply() == Reply.ACK;
                tx.run.received(ok ? "ack" : "pre-commit refused", participant, r.reason());
                step(tx, new CoordinatorInput.Acknowledged(participant, phase, ok, r.reason()));
            }
            case APPLY -> {
                boolean applied = r.reply() == Reply.ACK;
                tx.run.received(applied ? "applied" : "refused", participant, r.reason());
                tx.run.applied(participant, applied, r.reason());
                step(tx, new CoordinatorInput.Acknowledged(participant, phase, applied, r.reason()));
            }
            case STEP -> {
                if (r.reply() == Reply.BUSY) {
                    tx.run.received("busy: held by semantic locks", participant, r.reason());
                    log.info("[{}] {}'s step is busy, held by semantic locks ({}): trying again", tx.run.xid(),
                            participant, r.reason());
                    step(tx, new CoordinatorInput.Busy(participant, phase, m.request().attempt(), r.reason()));
                    return;
                }
                // a step answers ACK, a locking step's try VOTE_YES
                boolean applied = r.reply() == Reply.ACK || r.reply() == Reply.VOTE_YES;
                tx.run.received(applied ? "step applied" : "step refused", participant, r.reason());
                step(tx, new CoordinatorInput.Acknowledged(participant, phase, applied, r.reason()));
            }
            case COMPENSATION -> {
                tx.run.received("compensated", participant, r.reason());
                step(tx, new CoordinatorInput.Acknowledged(participant, phase, true, r.reason()));
            }
            default -> {
                tx.run.received("ack", participant, r.reason());
                step(tx, new CoordinatorInput.Acknowledged(participant, Phase.DECISION, true, r.reason()));
            }
        }
    }

    private void lost(PendingMessage m, String why) {
        Phase phase = m.request().phase();
        String participant = m.request().participant();
        m.tx().run.unanswered(answerName(phase), participant, why);
        lostInput(m.tx(), participant, phase, why);
    }

    /** What the answer to a message of {@code phase} is called in the timeline ("no ack", "no vote", ...). */
    private static String answerName(Phase phase) {
        return switch (phase) {
            case DECISION, PRE_COMMIT, COMPENSATION -> "ack";
            case APPLY, STEP -> "answer";
            default -> "vote";
        };
    }

    private void lostInput(Tx tx, String participant, Phase phase, String why) {
        if (phase == Phase.APPLY) {
            tx.run.applied(participant, false, why);
        }
        step(tx, new CoordinatorInput.Lost(participant, phase, why));
    }

    private void logged(Tx tx, LogRecord record, LogReceipt receipt) {
        TransactionRun run = tx.run;
        LogRecord counted = record;
        if (record instanceof LogRecord.Begin) {
            run.logged("BEGIN logged", receipt, String.join(", ", run.participants()));
        } else if (record instanceof LogRecord.PreCommit) {
            run.logged("PRE-COMMIT logged", receipt, "every participant voted YES");
        } else if (record instanceof LogRecord.DecisionRecord d) {
            if (receipt.decision() != null && !receipt.decision().equals(d.decision().name())) {
                // another decision was chosen first (an earlier leader's): that one counts
                String reason = transactionLog.find(d.xid()).map(LoggedTransaction::reason).orElse(d.reason());
                counted = new LogRecord.DecisionRecord(d.xid(), Decision.valueOf(receipt.decision()), reason, d.votes());
            }
            LogRecord.DecisionRecord c = (LogRecord.DecisionRecord) counted;
            run.logged("DECISION " + c.decision() + " logged", receipt, c.reason());
        } else if (record instanceof LogRecord.End) {
            run.logged("END logged", receipt, "every participant acknowledged");
            finish(tx);
            return;
        }
        step(tx, new CoordinatorInput.Logged(counted));
        if (counted instanceof LogRecord.DecisionRecord d && active.get(run.xid()) == tx) {
            metrics.decided(run, Duration.between(run.begunAt(), clock.instant()));
            log.info("[{}] DECISION {}{}", run.xid(), d.decision(), d.reason() == null ? "" : ": " + d.reason());
            answerWithin(tx);
        }
    }

    /** The client's answer is certain: every participant acknowledged (NONE: answered). */
    private void answered(Tx tx, Outcome outcome) {
        TransactionRun run = tx.run;
        run.outcomeReason(outcome.reason());
        if (!run.protocol().isAtomic()) {
            metrics.decided(run, Duration.between(run.begunAt(), clock.instant()));
            log.info("[{}] NONE outcome {}{}", run.xid(), outcome.outcome(),
                    outcome.reason() == null ? "" : ": " + outcome.reason());
        } else {
            log.info("[{}] phase 2 complete: every participant acknowledged {}", run.xid(), outcome.outcome());
        }
        metrics.ended(run);
        answerAll(tx);
        if (!run.protocol().isAtomic()) {
            finish(tx); // nothing to log: NONE is done
        }
    }

    private void answerAll(Tx tx) {
        tx.answered = true;
        TransactionView view = tx.run.view();
        tx.waiters.forEach(w -> w.complete(view));
        tx.waiters.clear();
    }

    /** Once the decision is durable the client waits at most answer-within for phase 2. */
    private void answerWithin(Tx tx) {
        schedule(tx, properties.answerWithin().toMillis(), () -> {
            TransactionView view = tx.run.view();
            tx.waiters.forEach(w -> w.complete(view));
            tx.waiters.clear();
        });
    }

    private void finish(Tx tx) {
        if (active.remove(tx.run.xid()) == tx) {
            tx.timers.forEach(t -> t.cancel(false));
            transactions.finish(tx.run);
            timelines.store(tx.run);
            if (!tx.waiters.isEmpty()) {
                answerAll(tx);
            }
        }
    }

    /** Deposed, or stopped at a fault point: whoever leads next finishes it from the log. */
    private void abandon(Tx tx, Throwable why) {
        if (active.remove(tx.run.xid()) != tx) {
            return;
        }
        tx.timers.forEach(t -> t.cancel(false));
        log.warn("[{}] left to the next leader: {}", tx.run.xid(), why.toString());
        tx.run.log("left to the next leader", why.getMessage());
        transactions.forget(tx.run.xid());
        timelines.store(tx.run);
        RuntimeException failure = why instanceof RuntimeException r ? r : new IllegalStateException(why);
        tx.waiters.forEach(w -> w.completeExceptionally(failure));
        tx.waiters.clear();
    }

    private void schedule(Tx tx, long afterMillis, Runnable input) {
        tx.timers.add(timers.schedule(() -> inbox.add(() -> {
            if (active.get(tx.run.xid()) == tx) {
                input.run();
            }
        }), afterMillis, TimeUnit.MILLISECONDS));
    }

    // ---- recovery

    /** When this node takes over (log complete): finish every unfinished transaction the log holds. */
    private void recoverAll() {
        List<LoggedTransaction> unfinished;
        try {
            unfinished = transactionLog.unfinished();
        } catch (RuntimeException e) {
            log.warn("recovery stopped: {}", e.toString());
            return;
        }
        if (!unfinished.isEmpty()) {
            log.info("recovery: {} unfinished transactions in the log", unfinished.size());
        }
        long epoch = leadership.epoch();
        String self = leadership.leader();
        inbox.add(() -> unfinished.forEach(t -> recover(t, self, epoch)));
    }

    private void recover(LoggedTransaction logged, String self, long epoch) {
        if (active.containsKey(logged.xid())) {
            return; // this node's own run is driving it
        }
        CommitProtocol protocol = CommitProtocol.parse(logged.protocol());
        List<String> names = logged.branches().stream().map(BranchSpec::participant).toList();
        RecoveredTransaction found = new RecoveredTransaction(logged.xid(), protocol, names,
                logged.preCommittedAt() != null, logged.decision() == null ? null : Decision.valueOf(logged.decision()),
                logged.reason(), logged.votes(), semanticLocks(logged.branches()));
        TransactionRun run = TransactionRun.recovered(logged, self, epoch, clock);
        Tx tx = new Tx(Coordinators.recover(found, timing, random), run, true);
        TransactionRun known = transactions.find(logged.xid());
        if (known != null) {
            transactions.forget(logged.xid());
        }
        transactions.add(run);
        active.put(run.xid(), tx);
        log.info("[{}] recovery: finishing it ({})", run.xid(), logged.decision() == null
                ? "no decision was logged" : "decision " + logged.decision() + " was logged");
        step(tx, new CoordinatorInput.Start());
    }

    // ---- helpers

    private static LogEntry entryOf(TransactionRun run, LogRecord record) {
        java.time.Instant now = java.time.Instant.now();
        if (record instanceof LogRecord.Begin) {
            return LogEntry.begin(run.begin());
        } else if (record instanceof LogRecord.PreCommit p) {
            return LogEntry.preCommit(p.xid(), now);
        } else if (record instanceof LogRecord.DecisionRecord d) {
            return LogEntry.decision(d.xid(), d.decision().name(), d.reason(), d.votes(), now);
        }
        return LogEntry.end(record.xid(), now);
    }

    /** The saga steps that take a semantic lock. */
    private static Set<String> semanticLocks(List<BranchSpec> branches) {
        Set<String> locked = new HashSet<>();
        for (BranchSpec b : branches) {
            if (b.takesSemanticLock()) {
                locked.add(b.participant());
            }
        }
        return locked;
    }

    private static tools.jackson.databind.JsonNode payloadOf(TransactionRun run, String participant) {
        for (BranchSpec b : run.branches()) {
            if (b.participant().equals(participant)) {
                return b.payload();
            }
        }
        return null;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    static String describe(Throwable error) {
        Throwable e = Futures.cause(error);
        if (e instanceof ClusterCallException call) {
            String detail = call.peerProblem() != null ? call.peerProblem().getDetail() : null;
            return call.outcome() + (detail == null ? "" : ": " + detail);
        }
        return e.toString();
    }

    // ---- lifecycle

    @Override
    public void start() {
        timers = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("dtx-commit-timers-" + client.self()));
        timers.setRemoveOnCancelPolicy(true);
        faultPoints = DaemonThreads.single("dtx-commit-faults-" + client.self());
        running = true;
        thread = new Thread(this::loop, "dtx-commit-engine-" + client.self());
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            timers.shutdownNow();
            faultPoints.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the Paxos driver starts (it may call back for recovery at once), after the web server. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }
}
