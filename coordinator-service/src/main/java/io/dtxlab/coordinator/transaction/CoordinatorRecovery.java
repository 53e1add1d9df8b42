package io.dtxlab.coordinator.transaction;

import io.dtxlab.coordinator.leadership.Leadership;
import io.dtxlab.coordinator.log.LoggedTransaction;
import io.dtxlab.coordinator.log.TransactionLog;
import io.dtxlab.core.commit.Decision;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * When the leader starts, it finishes what its log holds unfinished: a transaction with a decision gets phase 2
 * again; one without a decision is aborted (presumed abort: nobody can have committed, because no COMMIT was ever
 * logged, so none was ever sent). Messages carry the new epoch.
 */
@Component
class CoordinatorRecovery implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorRecovery.class);
    static final String PRESUMED_ABORT = "presumed abort: the coordinator restarted before it decided";

    private final TransactionLog transactionLog;
    private final Transactions transactions;
    private final PhaseTwo phaseTwo;
    private final Leadership leadership;
    private final Clock clock = Clock.systemUTC();

    CoordinatorRecovery(TransactionLog transactionLog, Transactions transactions, PhaseTwo phaseTwo,
            Leadership leadership) {
        this.transactionLog = transactionLog;
        this.transactions = transactions;
        this.phaseTwo = phaseTwo;
        this.leadership = leadership;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (leadership.isLeader()) {
            recover();
        }
    }

    /** Finishes every unfinished transaction in the log. */
    void recover() {
        var unfinished = transactionLog.unfinished();
        if (!unfinished.isEmpty()) {
            log.info("recovery: {} unfinished transactions in the log", unfinished.size());
        }
        for (LoggedTransaction logged : unfinished) {
            if (transactions.find(logged.xid()) != null) {
                continue; // this run is already driving it
            }
            Decision decision = logged.decision() == null ? Decision.ABORT : Decision.valueOf(logged.decision());
            String reason = logged.decision() == null ? PRESUMED_ABORT : logged.reason();
            TransactionRun run = TransactionRun.recovered(logged, decision, reason, leadership.leader(),
                    leadership.epoch(), clock);
            if (logged.decision() == null) {
                transactionLog.decide(logged.xid(), Decision.ABORT, PRESUMED_ABORT, logged.votes(), clock.instant());
                run.decisionDurable();
            }
            log.info("[{}] recovery: finishing phase 2 with {}", logged.xid(), decision);
            transactions.add(run);
            phaseTwo.drive(run);
        }
    }
}
