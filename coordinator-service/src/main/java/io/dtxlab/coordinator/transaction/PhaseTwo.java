package io.dtxlab.coordinator.transaction;

import io.dtxlab.platform.concurrent.DaemonThreads;
import io.dtxlab.coordinator.CoordinatorProperties;
import io.dtxlab.coordinator.log.BranchSpec;
import io.dtxlab.coordinator.log.LogReceipt;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.messaging.MessageOutcome;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Phase 2: delivers the durable decision to every participant in parallel and resends, with exponential backoff
 * (a resilience4j Retry with no attempt limit), until each acknowledges. A circuit breaker per participant stops
 * hammering one that keeps failing; while it is open, attempts fail at once and the retry waits. Resending is safe
 * because participants apply commit and abort at most once. Only a refusal stops it: a newer epoch took over (the
 * new leader finishes), or the branch contradicts the decision (reported loudly; it would be a bug).
 */
@Component
class PhaseTwo implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PhaseTwo.class);

    private final ClusterClient client;
    private final TransactionLog transactionLog;
    private final Transactions transactions;
    private final CoordinatorMetrics metrics;
    private final FaultInjector faults;
    private final CoordinatorProperties properties;
    private final CircuitBreakerRegistry breakers;
    private final Retry retry;
    private final CircuitBreakerConfig breakerConfig;
    private final ScheduledExecutorService scheduler;
    private final Clock clock = Clock.systemUTC();

    PhaseTwo(ClusterClient client, TransactionLog transactionLog, Transactions transactions, CoordinatorMetrics metrics,
            FaultInjector faults, CoordinatorProperties properties, RetryRegistry retries,
            CircuitBreakerRegistry breakers) {
        this.client = client;
        this.transactionLog = transactionLog;
        this.transactions = transactions;
        this.metrics = metrics;
        this.faults = faults;
        this.properties = properties;
        this.breakers = breakers;
        this.retry = retries.retry("phase-two", RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(properties.retryInitialBackoff(), 2.0,
                        0.2, properties.retryMaxBackoff()))
                .retryOnException(PhaseTwo::worthResending)
                .failAfterMaxAttempts(false)
                .build());
        this.breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(2))
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(PhaseTwo::worthResending)
                .build();
        this.scheduler = DaemonThreads.scheduler("dtx-phase-two-" + client.self(), 2);
    }

    /** Sends the durable decision of {@code run} to every participant that has not acknowledged it. */
    void drive(TransactionRun run) {
        Decision decision = run.decision().orElseThrow();
        for (String participant : run.awaitingAck()) {
            deliver(run, decision, participant);
        }
    }

    private void deliver(TransactionRun run, Decision decision, String participant) {
        String kind = decision == Decision.ABORT ? "abort"
                : run.protocol() == CommitProtocol.THREE_PHASE ? "do-commit" : "commit";
        String xid = run.xid();
        BranchMessage message = new BranchMessage(run.coordinator(), run.epoch(), run.protocol().label(),
                decision == Decision.ABORT ? payloadOf(run, participant) : null,
                decision == Decision.ABORT ? run.reason() : null);
        CircuitBreaker breaker = breakers.circuitBreaker("participant-" + participant, breakerConfig);
        int[] attempt = {0};
        retry.executeCompletionStage(scheduler, () -> breaker.executeCompletionStage(() -> {
            attempt[0]++;
            run.sent(kind, participant, attempt[0] == 1 ? null : "attempt " + attempt[0]);
            return client.postAsync(participant, kind, xid, "/internal/branches/" + xid + "/" + kind, message,
                    BranchReply.class, properties.messageTimeout())
                    .whenComplete((reply, error) -> {
                        if (error != null) {
                            run.unanswered("ack", participant, describe(error));
                        }
                    });
        })).whenComplete((reply, error) -> {
            if (error == null) {
                acknowledged(run, participant, reply);
            } else {
                refused(run, participant, unwrap(error));
            }
        });
    }

    private void acknowledged(TransactionRun run, String participant, BranchReply reply) {
        run.received("ack", participant, reply.reason());
        boolean first = run.onAck(participant);
        if (run.allAcknowledged()) {
            LogReceipt ended;
            try {
                ended = transactionLog.end(run.xid(), clock.instant());
            } catch (RuntimeException e) {
                // deposed meanwhile: the new leader finds the transaction decided and acknowledged again, harmlessly
                log.warn("[{}] END not logged: {}", run.xid(), e.getMessage());
                return;
            }
            run.endDurable(ended);
            metrics.ended(run);
            transactions.finish(run);
            log.info("[{}] phase 2 complete: every participant acknowledged {}", run.xid(), run.decision().orElseThrow());
        }
        if (first) {
            faults.at(CoordinatorFaults.AFTER_FIRST_COMMIT, run.xid(), participant);
        }
    }

    private void refused(TransactionRun run, String participant, Throwable error) {
        run.log("phase 2 to " + participant + " stopped", describe(error));
        log.error("[{}] phase 2 to {} stopped: {}", run.xid(), participant, describe(error));
    }

    private static tools.jackson.databind.JsonNode payloadOf(TransactionRun run, String participant) {
        return run.branches().stream().filter(b -> b.participant().equals(participant)).findFirst()
                .map(BranchSpec::payload).orElse(null);
    }

    /** Anything but a refusal (a stale epoch or a contradiction, answered 409) is worth resending. */
    private static boolean worthResending(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof CallNotPermittedException) {
            return true;
        }
        return !(e instanceof ClusterCallException call && call.outcome() == MessageOutcome.REFUSED);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static String describe(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ClusterCallException call) {
            return call.outcome() + (call.peerProblem() != null && call.peerProblem().getDetail() != null
                    ? ": " + call.peerProblem().getDetail() : "");
        }
        if (e instanceof CallNotPermittedException) {
            return "circuit breaker open";
        }
        return e.toString();
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
