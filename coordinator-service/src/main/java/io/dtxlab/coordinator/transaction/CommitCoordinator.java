package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.CoordinatorProperties;
import io.dtxlab.coordinator.leadership.Leadership;
import io.dtxlab.coordinator.log.BranchSpec;
import io.dtxlab.coordinator.log.LogReceipt;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Runs a global transaction, presuming abort.
 * <p>
 * <b>2PC:</b> BEGIN logged; prepare to every participant at once (a NO, a failed message or the prepare timeout
 * decides ABORT, a YES from all decides COMMIT); the DECISION logged; then phase 2 ({@link PhaseTwo}) until every
 * participant acknowledges; END logged.
 * <p>
 * <b>3PC:</b> BEGIN logged; can-commit to all (participants check without locking; a NO or the timeout aborts);
 * PRE-COMMIT logged; pre-commit to all (participants lock and acknowledge; a refusal or a missing ack within the
 * timeout aborts); the DECISION logged; do-commit or abort until acknowledged; END logged. 6n messages when
 * nothing fails.
 * <p>
 * <b>NONE</b> (the baseline without atomic commitment): nothing logged, no consensus; apply to every participant at
 * once, each reserves and applies in one local transaction or refuses; the outcome is COMMIT (all applied), ABORT
 * (none) or PARTIAL (some, and nothing is undone). 2n messages.
 * <p>
 * The caller gets the decision as soon as the last phase is acknowledged, or after {@code answer-within} with the
 * participants still to acknowledge.
 */
@Service
class CommitCoordinator {

    private static final Logger log = LoggerFactory.getLogger(CommitCoordinator.class);

    private final ClusterClient client;
    private final TransactionLog transactionLog;
    private final Transactions transactions;
    private final PhaseTwo phaseTwo;
    private final Leadership leadership;
    private final FaultInjector faults;
    private final CoordinatorMetrics metrics;
    private final CoordinatorProperties properties;
    private final Clock clock = Clock.systemUTC();

    CommitCoordinator(ClusterClient client, TransactionLog transactionLog, Transactions transactions,
            PhaseTwo phaseTwo, Leadership leadership, FaultInjector faults, CoordinatorMetrics metrics,
            CoordinatorProperties properties) {
        this.client = client;
        this.transactionLog = transactionLog;
        this.transactions = transactions;
        this.phaseTwo = phaseTwo;
        this.leadership = leadership;
        this.faults = faults;
        this.metrics = metrics;
        this.properties = properties;
    }

    TransactionView run(BeginTransaction request) {
        CommitProtocol protocol = CommitProtocol.parse(request.protocol());
        long distinct = request.branches().stream().map(BranchSpec::participant).distinct().count();
        if (distinct != request.branches().size()) {
            throw new IllegalArgumentException("each participant may have one branch only");
        }
        for (BranchSpec branch : request.branches()) {
            if (client.members().url(branch.participant()).isEmpty()) {
                throw new IllegalArgumentException("unknown participant '" + branch.participant() + "'");
            }
        }
        TransactionRun fresh = new TransactionRun(request.xid(), protocol, request.branches(), client.self(),
                leadership.epoch(), clock);
        TransactionRun run = transactions.add(fresh);
        if (run != fresh) {
            return await(run, run.xid()); // a retried begin: answer with what is known
        }
        if (!protocol.isAtomic()) {
            return applyAtOnce(run);
        }
        LogReceipt begun;
        try {
            begun = transactionLog.begin(run.begin());
        } catch (DuplicateKeyException e) {
            transactions.forget(run.xid());
            return await(null, run.xid()); // begun before, finished and forgotten in memory: the log knows
        } catch (RuntimeException e) {
            transactions.forget(run.xid());
            throw e;
        }
        try {
            run.logged("BEGIN logged", begun, String.join(", ", run.branches().stream().map(BranchSpec::participant).toList()));
            log.info("[{}] BEGIN {} with {}", run.xid(), protocol.label(),
                    run.branches().stream().map(BranchSpec::participant).toList());

            Decision decision = protocol == CommitProtocol.TWO_PHASE ? twoPhase(run) : threePhase(run);
            LogReceipt decided = transactionLog.decide(run.xid(), decision, run.reason(), run.votesForLog(), clock.instant());
            if (decided.decision() != null && !decided.decision().equals(decision.name())) {
                transactions.forget(run.xid());
                throw new IllegalStateException(run.xid() + ": " + decided.decision() + " was decided first; that one counts");
            }
            run.decisionDurable(decided);
            metrics.decided(run, java.time.Duration.between(run.begunAt(), clock.instant()));
            log.info("[{}] DECISION {}{}", run.xid(), decision, run.reason() == null ? "" : ": " + run.reason());
            // the decision is on disk, no message carrying it has left
            faults.at(CoordinatorFaults.AFTER_DECISION, run.xid(), null);
        } catch (RuntimeException e) {
            // deposed, or crashed at a fault point: whoever leads next finishes it from the log
            transactions.forget(run.xid());
            throw e;
        }
        phaseTwo.drive(run);
        return await(run, run.xid());
    }

    /**
     * NONE: apply to every participant in parallel and collect the answers until all are in or the apply timeout (the
     * prepare timeout) passes. Nothing is logged: a repeated begin after this coordinator forgot the run applies
     * again, and each participant answers a repeat as it answered the first (its branch remembers).
     */
    private TransactionView applyAtOnce(TransactionRun run) {
        log.info("[{}] NONE with {}: apply at once, nothing logged", run.xid(),
                run.branches().stream().map(BranchSpec::participant).toList());
        try {
            collect(run, "apply", BranchSpec::payload, run.appliesSettled(),
                    (participant, reply) -> {
                        boolean applied = "ACK".equals(reply.reply());
                        run.received(applied ? "applied" : "refused", participant, reply.reason());
                        if (applied) {
                            run.onApplied(participant);
                        } else {
                            run.onRefused(participant, reply.reason());
                        }
                    }, (participant, why) -> {
                        run.unanswered("answer", participant, why);
                        run.onApplyLost(participant, why);
                    }, () -> run.onApplyTimeout(properties.prepareTimeout()), properties.prepareTimeout());
        } catch (RuntimeException e) {
            transactions.forget(run.xid());
            throw e;
        }
        run.appliesEnded();
        metrics.decided(run, Duration.between(run.begunAt(), clock.instant()));
        metrics.ended(run);
        transactions.finish(run);
        TransactionView view = run.view();
        log.info("[{}] NONE outcome {}{}", run.xid(), view.decision(), view.reason() == null ? "" : ": " + view.reason());
        return view;
    }

    private Decision twoPhase(TransactionRun run) {
        Decision decision = vote(run, "prepare");
        // the votes are in (or the timeout fired), nothing is decided yet
        faults.at(CoordinatorFaults.AFTER_VOTES, run.xid(), null);
        return decision;
    }

    /** Phase 1 of either protocol: {@code kind} (prepare, can-commit) to all, their votes into the run's round. */
    private Decision vote(TransactionRun run, String kind) {
        return collect(run, kind, BranchSpec::payload, run.votesSettled(),
                (participant, reply) -> {
                    Vote vote = "VOTE_YES".equals(reply.reply()) ? Vote.YES : Vote.NO;
                    run.received("vote " + vote, participant, reply.reason());
                    run.onVote(participant, vote, reply.reason());
                }, (participant, why) -> {
                    run.unanswered("vote", participant, why);
                    run.onNoVote(participant, why);
                }, () -> run.onVoteTimeout(properties.prepareTimeout()), properties.prepareTimeout());
    }

    private Decision threePhase(TransactionRun run) {
        Decision canCommit = vote(run, "can-commit");
        faults.at(CoordinatorFaults.AFTER_VOTES, run.xid(), null);
        if (canCommit == Decision.ABORT) {
            return Decision.ABORT; // nothing was locked anywhere
        }
        run.logged("PRE-COMMIT logged", transactionLog.preCommit(run.xid(), clock.instant()),
                "every participant voted YES");
        run.startPreCommit();
        Decision decision = collect(run, "pre-commit", b -> null, run.preCommitsSettled(),
                (participant, reply) -> {
                    boolean ok = "ACK".equals(reply.reply());
                    run.received(ok ? "ack" : "pre-commit refused", participant, reply.reason());
                    run.onPreCommitAck(participant, ok, reply.reason());
                }, (participant, why) -> {
                    run.unanswered("ack", participant, why);
                    run.onPreCommitLost(participant, why);
                }, () -> run.onPreCommitTimeout(properties.prepareTimeout()), properties.prepareTimeout());
        // every pre-commit ack is in (or the timeout fired), nothing is decided yet
        faults.at(CoordinatorFaults.AFTER_PRE_COMMIT, run.xid(), null);
        return decision;
    }

    /**
     * Sends {@code kind} to every participant at once and waits until the round settles or {@code timeout} passes;
     * each answer, failure or silence is handed to the run, whose round decides.
     */
    private <T> T collect(TransactionRun run, String kind, Function<BranchSpec, Object> payload,
            CompletableFuture<T> settled, BiConsumer<String, BranchReply> onReply,
            BiConsumer<String, String> onLost, java.util.function.Supplier<T> onTimeout, Duration timeout) {
        for (BranchSpec branch : run.branches()) {
            String participant = branch.participant();
            run.sent(kind, participant, null);
            client.postAsync(participant, kind, run.xid(), "/internal/branches/" + run.xid() + "/" + kind,
                    new BranchMessage(run.coordinator(), run.epoch(), run.protocol().label(),
                            (tools.jackson.databind.JsonNode) payload.apply(branch), null),
                    BranchReply.class, timeout)
                    .whenComplete((reply, error) -> {
                        if (error == null) {
                            onReply.accept(participant, reply);
                        } else {
                            onLost.accept(participant, describe(error instanceof CompletionException
                                    && error.getCause() != null ? error.getCause() : error));
                        }
                    });
        }
        try {
            return settled.get(timeout.toMillis() + 100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return onTimeout.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return onTimeout.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits briefly for the last phase to finish and answers with the transaction as it stands. */
    private TransactionView await(TransactionRun run, String xid) {
        if (run == null) {
            return transactionLog.find(xid).map(TransactionController::fromLog).orElseThrow();
        }
        try {
            run.ended().get(properties.answerWithin().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // phase 2 goes on; the caller learns the decision now and sees who has not acknowledged yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return run.view();
    }

    static String describe(Throwable e) {
        if (e instanceof ClusterCallException call) {
            String detail = call.peerProblem() != null ? call.peerProblem().getDetail() : null;
            return call.outcome() + (detail == null ? "" : ": " + detail);
        }
        return e.toString();
    }
}
