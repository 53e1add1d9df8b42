package io.dtxlab.coordinator.log;

import io.dtxlab.core.commit.Decision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the coordinator's decisions live. Each write returns only once it is durable: the caller sends prepare
 * after {@link #begin}, and phase 2 after {@link #decide}. The primary implementation is
 * {@link ReplicatedTransactionLog}: each record is chosen by a majority of the coordinators through Paxos, and every
 * coordinator applies the chosen records to its own H2 copy ({@link H2TransactionLog}).
 */
public interface TransactionLog {

    /** BEGIN: the participants and their payloads. A second BEGIN of one xid is a DuplicateKeyException. */
    LogReceipt begin(LoggedTransaction transaction);

    /** 3PC: every participant voted YES; pre-commit begins (from here the termination rule may commit). */
    LogReceipt preCommit(String xid, Instant at);

    /**
     * DECISION: COMMIT or ABORT, with why and the votes. Only the first decision for a transaction counts; the
     * receipt names it.
     */
    LogReceipt decide(String xid, Decision decision, String reason, Map<String, String> votes, Instant at);

    /** END: every participant acknowledged the decision. */
    LogReceipt end(String xid, Instant at);

    Optional<LoggedTransaction> find(String xid);

    /** Transactions without END, oldest first: what a restarted leader must finish. */
    List<LoggedTransaction> unfinished();

    /** The most recent transactions, newest first. */
    List<LoggedTransaction> recent(int limit);

    /** Of the {@code limit} most recent transactions, the decided ones in brief, newest first (one query). */
    List<DecidedTransaction> recentDecided(int limit);
}
