package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.CoordinatorProperties;
import io.dtxlab.coordinator.leadership.Leadership;
import io.dtxlab.coordinator.log.BranchSpec;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.Vote;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;

/**
 * Runs a global transaction with two-phase commit, presuming abort:
 * <ol>
 * <li>BEGIN is logged (participants and payloads);</li>
 * <li>phase 1: prepare goes to every participant at once; a NO, a failed message or the prepare timeout decides
 * ABORT, a YES from all decides COMMIT;</li>
 * <li>the DECISION is logged, and only then</li>
 * <li>phase 2 ({@link PhaseTwo}) delivers it to every participant until each acknowledges; END is logged.</li>
 * </ol>
 * The caller gets the decision as soon as phase 2 is done, or after {@code answer-within} with the participants
 * still to acknowledge.
 */
@Service
class TwoPhaseCommit {

    private static final Logger log = LoggerFactory.getLogger(TwoPhaseCommit.class);

    private final ClusterClient client;
    private final TransactionLog transactionLog;
    private final Transactions transactions;
    private final PhaseTwo phaseTwo;
    private final Leadership leadership;
    private final FaultInjector faults;
    private final CoordinatorMetrics metrics;
    private final CoordinatorProperties properties;
    private final Clock clock = Clock.systemUTC();

    TwoPhaseCommit(ClusterClient client, TransactionLog transactionLog, Transactions transactions, PhaseTwo phaseTwo,
            Leadership leadership, FaultInjector faults, CoordinatorMetrics metrics, CoordinatorProperties properties) {
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
        if (protocol != CommitProtocol.TWO_PHASE) {
            throw new ResponseStatusException(HttpStatus.NOT_IMPLEMENTED, protocol.label() + " is not available yet");
        }
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
        try {
            transactionLog.begin(run.begin());
        } catch (DuplicateKeyException e) {
            transactions.forget(run.xid());
            return await(null, run.xid()); // begun before, finished and forgotten in memory: the log knows
        } catch (RuntimeException e) {
            transactions.forget(run.xid());
            throw e;
        }
        run.log("BEGIN logged", String.join(", ", run.branches().stream().map(BranchSpec::participant).toList()));
        log.info("[{}] BEGIN {} with {}", run.xid(), protocol.label(), run.branches().stream().map(BranchSpec::participant).toList());

        Decision decision = phaseOne(run);
        // the votes are in (or the timeout fired), nothing is decided yet
        faults.at(CoordinatorFaults.AFTER_VOTES, run.xid(), null);
        transactionLog.decide(run.xid(), decision, run.reason(), run.votesForLog(), clock.instant());
        run.decisionDurable();
        metrics.decided(run, Duration.between(run.begunAt(), clock.instant()));
        log.info("[{}] DECISION {}{}", run.xid(), decision, run.reason() == null ? "" : ": " + run.reason());
        // the decision is on disk, no phase-2 message has left
        faults.at(CoordinatorFaults.AFTER_DECISION, run.xid(), null);
        phaseTwo.drive(run);
        return await(run, run.xid());
    }

    private Decision phaseOne(TransactionRun run) {
        for (BranchSpec branch : run.branches()) {
            String participant = branch.participant();
            run.sent("prepare", participant, null);
            client.postAsync(participant, "prepare", run.xid(), "/internal/branches/" + run.xid() + "/prepare",
                    new BranchMessage(run.coordinator(), run.epoch(), run.protocol().label(), branch.payload(), null),
                    BranchReply.class, properties.prepareTimeout())
                    .whenComplete((reply, error) -> {
                        if (error == null) {
                            Vote vote = "VOTE_YES".equals(reply.reply()) ? Vote.YES : Vote.NO;
                            run.received("vote " + vote, participant, reply.reason());
                            run.onVote(participant, vote, reply.reason());
                        } else {
                            String why = error instanceof CompletionException && error.getCause() != null
                                    ? describe(error.getCause()) : describe(error);
                            run.unanswered("vote", participant, why);
                            run.onNoVote(participant, why);
                        }
                    });
        }
        try {
            return run.votesSettled().get(properties.prepareTimeout().toMillis() + 100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return run.onTimeout(properties.prepareTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return run.onTimeout(properties.prepareTimeout());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits briefly for phase 2 to finish and answers with the transaction as it stands. */
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

    private static String describe(Throwable e) {
        if (e instanceof ClusterCallException call) {
            String detail = call.peerProblem() != null ? call.peerProblem().getDetail() : null;
            return call.outcome() + (detail == null ? "" : ": " + detail);
        }
        return e.toString();
    }
}
