package io.dtxlab.coordinator.transaction;

import io.dtxlab.platform.concurrent.DaemonThreads;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.dtxlab.coordinator.leadership.Leadership;
import io.dtxlab.coordinator.log.BranchSpec;
import io.dtxlab.coordinator.log.LogReceipt;
import io.dtxlab.coordinator.log.LoggedTransaction;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.commit.coordinator.ThreePhaseTermination;
import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.platform.messaging.ClusterCallException;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.messaging.MessageOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * When a coordinator takes over as leader (at start, or after a failover), with the log complete, it finishes what
 * the log holds unfinished. A transaction with a decision gets its last
 * phase again. One without a decision:
 * <ul>
 * <li>2PC: is aborted (presumed abort: no COMMIT was ever logged, so none was ever sent);</li>
 * <li>3PC: gets the termination rule over the branches the coordinator can reach: commit if any is pre-committed
 * or committed, otherwise abort. If it can reach none, it asks again later.</li>
 * </ul>
 * Messages carry the new epoch.
 */
@Component
class CoordinatorRecovery implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorRecovery.class);
    static final String PRESUMED_ABORT = "presumed abort: no decision was logged before the leader changed";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record BranchStatus(String xid, BranchState state) {
    }

    private final TransactionLog transactionLog;
    private final Transactions transactions;
    private final PhaseTwo phaseTwo;
    private final Leadership leadership;
    private final ClusterClient client;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService later;

    CoordinatorRecovery(TransactionLog transactionLog, Transactions transactions, PhaseTwo phaseTwo,
            Leadership leadership, ClusterClient client) {
        this.transactionLog = transactionLog;
        this.transactions = transactions;
        this.phaseTwo = phaseTwo;
        this.leadership = leadership;
        this.client = client;
        this.later = DaemonThreads.scheduler("dtx-recovery-" + client.self());
        leadership.onLeadership(this::recover);
    }

    /** Finishes every unfinished transaction in the log (when this node takes over as leader). */
    void recover() {
        try {
            recoverAll();
        } catch (RuntimeException e) {
            log.warn("recovery stopped: {}", e.toString()); // e.g. deposed meanwhile: the next leader recovers
        }
    }

    private void recoverAll() {
        var unfinished = transactionLog.unfinished();
        if (!unfinished.isEmpty()) {
            log.info("recovery: {} unfinished transactions in the log", unfinished.size());
        }
        unfinished.forEach(this::finish);
    }

    private void finish(LoggedTransaction logged) {
        if (transactions.find(logged.xid()) != null) {
            return; // this run is already driving it
        }
        Decision decision;
        String reason;
        if (logged.decision() != null) {
            decision = Decision.valueOf(logged.decision());
            reason = logged.reason();
        } else if (CommitProtocol.parse(logged.protocol()) == CommitProtocol.TWO_PHASE) {
            decision = Decision.ABORT;
            reason = PRESUMED_ABORT;
        } else {
            Map<String, BranchState> seen = branchStates(logged);
            if (seen.isEmpty()) {
                log.warn("[{}] recovery: no participant answers; the 3PC termination rule waits", logged.xid());
                later.schedule(() -> finish(logged), 2, TimeUnit.SECONDS);
                return;
            }
            decision = ThreePhaseTermination.decide(new ArrayList<>(seen.values()));
            reason = "3PC termination rule over " + seen + (decision == Decision.COMMIT
                    ? ": a participant is pre-committed or committed" : ": no participant is pre-committed");
        }
        LogReceipt decided = null;
        if (logged.decision() == null) {
            decided = transactionLog.decide(logged.xid(), decision, reason, logged.votes(), clock.instant());
            if (decided.decision() != null && !decided.decision().equals(decision.name())) {
                // another decision was chosen first (a run still deciding it as leadership changed): that one counts
                decision = Decision.valueOf(decided.decision());
                reason = transactionLog.find(logged.xid()).map(LoggedTransaction::reason).orElse(reason);
            }
        }
        TransactionRun run = TransactionRun.recovered(logged, decision, reason, leadership.leader(),
                leadership.epoch(), clock);
        if (decided != null) {
            run.decisionDurable(decided);
        }
        log.info("[{}] recovery: finishing with {} ({})", logged.xid(), decision, reason);
        if (transactions.add(run) != run) {
            return; // a run of this node took it up meanwhile: it drives the decision that counts
        }
        phaseTwo.drive(run);
    }

    /** The branch states of the participants that answer; a participant without the branch counts as none. */
    private Map<String, BranchState> branchStates(LoggedTransaction logged) {
        Map<String, BranchState> seen = new java.util.LinkedHashMap<>();
        for (BranchSpec branch : logged.branches()) {
            try {
                BranchStatus status = client.get(branch.participant(), "state-request", logged.xid(),
                        "/branches/" + logged.xid(), BranchStatus.class);
                seen.put(branch.participant(), status.state());
            } catch (ClusterCallException e) {
                if (e.outcome() == MessageOutcome.REFUSED) {
                    seen.put(branch.participant(), BranchState.ABORTED); // never heard of it: it cannot commit
                }
            }
        }
        return seen;
    }

    @Override
    public void destroy() {
        later.shutdownNow();
    }

}
