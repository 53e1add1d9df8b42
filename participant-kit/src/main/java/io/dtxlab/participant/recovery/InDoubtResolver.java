package io.dtxlab.participant.recovery;

import io.dtxlab.contract.BranchMessage;
import io.dtxlab.contract.CoordinatorClient;
import io.dtxlab.contract.TransactionDecision;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.participant.ParticipantProperties;
import io.dtxlab.participant.branch.BranchService;
import io.dtxlab.participant.branch.BranchView;
import io.dtxlab.participant.coordinator.CoordinatorDirectory;
import io.dtxlab.participant.resource.ExpectedBranch;
import io.dtxlab.platform.concurrent.DaemonThreads;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.node.NodeIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * A 2PC participant that voted YES may not decide alone: it must learn the decision. The coordinator normally
 * brings it (phase 2 with retries), but a participant also asks, once right after a restart for every branch it
 * finds PREPARED, and then every {@code recovery-interval} for branches in doubt longer than {@code in-doubt-after}.
 * If the coordinator is down or undecided, the branch stays PREPARED and keeps its reservation: 2PC blocks.
 * A 3PC branch does not ask: when nothing arrives within {@code three-phase-timeout} it applies 3PC's timeout rule.
 * A branch the participant expects but no coordinator has sent ({@link ExpectedBranch}: the order service's own
 * branch of an order answered 202) is refused once it has not arrived within {@code branch-expected-within}, after
 * asking the coordinator, whose answer gives the reason: it never began the transaction (presumed abort), or it
 * aborted it. A participant that has not voted may always abort, so it refuses the branch also when the coordinator
 * cannot be asked or has not decided; a later prepare of it is then refused and the transaction cannot commit.
 * Both timers run only while some branch waits (at rest, never: each idle wake-up of a thread costs a few hundred
 * microseconds on a small VM), and cost no query until one is due: {@link BranchService} keeps the waiting branches
 * in memory and reads its table only then.
 */
@Component
class InDoubtResolver implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InDoubtResolver.class);

    private final BranchService branches;
    private final CoordinatorClient coordinators;
    private final CoordinatorDirectory directory;
    private final ParticipantProperties properties;
    private final ScheduledExecutorService timer;
    /** The two recovery timers while they run; empty while no branch waits. */
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    InDoubtResolver(BranchService branches, CoordinatorClient coordinators, CoordinatorDirectory directory,
            ParticipantProperties properties, NodeIdentity node) {
        this.branches = branches;
        this.coordinators = coordinators;
        this.directory = directory;
        this.properties = properties;
        this.timer = DaemonThreads.scheduler("dtx-in-doubt-" + node.id());
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        timer.execute(() -> {
            resolve(Duration.ZERO);
            refuseOverdue();
        });
        branches.onWaiting(this::startTimers);
        if (branches.anyWaiting()) {
            startTimers();
        }
    }

    /** Starts the recovery timers unless they run; a branch has just started to wait. */
    private synchronized void startTimers() {
        if (!timers.isEmpty() || timer.isShutdown()) {
            return;
        }
        long every = properties.recoveryInterval().toMillis();
        long tick = Math.max(50, Math.min(every, properties.threePhaseTimeout().toMillis() / 4));
        try {
            timers.add(timer.scheduleWithFixedDelay(() -> {
                resolve(properties.inDoubtAfter());
                refuseOverdue();
                stopTimersIfNothingWaits();
            }, every, every, TimeUnit.MILLISECONDS));
            timers.add(timer.scheduleWithFixedDelay(this::timeOutThreePhase, tick, tick, TimeUnit.MILLISECONDS));
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /**
     * Stops the timers once no branch waits. Under the same lock as {@link #startTimers}, and a branch is tracked
     * before it calls that: a branch that starts to wait meanwhile either is seen here or restarts the timers.
     */
    private synchronized void stopTimersIfNothingWaits() {
        if (!branches.anyWaiting()) {
            timers.forEach(t -> t.cancel(false));
            timers.clear();
        }
    }

    /** 3PC: a branch that heard nothing within {@code three-phase-timeout} decides alone (see BranchMachine). */
    void timeOutThreePhase() {
        try {
            for (String xid : branches.waitingThreePhase(properties.threePhaseTimeout(), 500)) {
                MDC.put("scope", xid);
                try {
                    branches.timeout(xid);
                } finally {
                    MDC.remove("scope");
                }
            }
        } catch (RuntimeException e) {
            log.warn("3PC timeout round failed: {}", e.toString());
        }
    }

    /** Asks the coordinator about every branch in doubt for longer than {@code age}, and applies what it decided. */
    void resolve(Duration age) {
        try {
            for (BranchView branch : branches.inDoubtSince(age, 500)) {
                if (!resolve(branch)) {
                    return; // the coordinator cannot answer now; try the rest next round
                }
            }
        } catch (RuntimeException e) {
            log.warn("in-doubt recovery round failed: {}", e.toString());
        }
    }

    private boolean resolve(BranchView branch) {
        String xid = branch.xid();
        String coordinator = directory.leader();
        MDC.put("scope", xid);
        try {
            TransactionDecision answer = coordinators.decision(coordinator, xid, properties.decisionTimeout());
            if (answer.known() && answer.decision() == null) {
                log.info("in doubt for {} ms: {} has not decided yet", branch.inDoubtForMs(), coordinator);
                return true;
            }
            String decision = answer.known() ? answer.decision() : "ABORT";
            String reason = answer.known() ? answer.reason() : "presumed abort: the coordinator has no record of it";
            BranchCommand command = "COMMIT".equals(decision) ? BranchCommand.COMMIT : BranchCommand.ABORT;
            log.info("in doubt for {} ms; {} answered {}: applying it", branch.inDoubtForMs(), coordinator, decision);
            branches.handle(new BranchMessage(xid, command, answer.coordinator(), answer.epoch(), branch.protocol(),
                    null, reason));
            return true;
        } catch (ClusterCallException e) {
            log.info("in doubt for {} ms and blocked: cannot learn the decision from {} ({})", branch.inDoubtForMs(),
                    coordinator, e.outcome());
            directory.notLeader(coordinator, CoordinatorClient.leaderHint(e).orElse(null));
            return false;
        } finally {
            MDC.remove("scope");
        }
    }

    /** Refuses every expected branch that has not arrived within {@code branch-expected-within}. */
    void refuseOverdue() {
        try {
            for (ExpectedBranch<?> branch : branches.expectedLongerThan(properties.branchExpectedWithin())) {
                refuse(branch);
            }
        } catch (RuntimeException e) {
            log.warn("expected-branch round failed: {}", e.toString());
        }
    }

    private void refuse(ExpectedBranch<?> branch) {
        String xid = branch.xid();
        String coordinator = directory.leader();
        String waited = "its branch did not reach " + branches.participant() + " within "
                + properties.branchExpectedWithin().toSeconds() + " s";
        MDC.put("scope", xid);
        try {
            String reason;
            String from = coordinator;
            long epoch = 0;
            try {
                TransactionDecision answer = coordinators.decision(coordinator, xid, properties.decisionTimeout());
                from = answer.coordinator();
                epoch = answer.epoch();
                if ("COMMIT".equals(answer.decision())) {
                    // cannot be without this branch's YES; leave the transaction to the coordinator
                    log.error("{} answered COMMIT for {}, whose branch never reached {}; not refusing it", from, xid,
                            branches.participant());
                    branches.forgetExpected(xid);
                    return;
                }
                reason = !answer.known()
                        ? "presumed abort: no coordinator began the transaction (" + from + " has no record of it); "
                                + waited
                        : "ABORT".equals(answer.decision())
                                ? (answer.reason() != null ? answer.reason() : "aborted by " + from)
                                : waited + " and " + from + " had not decided: refused here, so it cannot commit";
            } catch (ClusterCallException e) {
                directory.notLeader(coordinator, CoordinatorClient.leaderHint(e).orElse(null));
                reason = waited + " and no coordinator could be asked (" + coordinator + ": " + e.outcome()
                        + "): refused here, so it cannot commit";
            }
            branches.refuseExpected(xid, from, epoch, reason);
        } finally {
            MDC.remove("scope");
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
