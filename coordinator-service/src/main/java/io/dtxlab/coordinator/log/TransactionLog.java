package io.dtxlab.coordinator.log;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where the coordinator's records live. {@link #append} makes records durable: each future completes once its record
 * is chosen by a majority of the coordinators and applied to this coordinator's copy, so a message that depends on
 * it may leave. The records of one call share one consensus round and one storage transaction (group commit).
 */
public interface TransactionLog {

    /**
     * Proposes {@code entries} in one consensus round. Each future completes with its receipt (for a DECISION, the
     * decision that counts: the first chosen for the transaction), or fails with
     * {@code io.dtxlab.coordinator.consensus.NotLeaderException} if this coordinator cannot get it chosen.
     */
    List<CompletableFuture<LogReceipt>> append(List<LogEntry> entries);

    Optional<LoggedTransaction> find(String xid);

    /** Transactions without END, oldest first: what a new leader must finish. */
    List<LoggedTransaction> unfinished();

    /** The most recent transactions, newest first. */
    List<LoggedTransaction> recent(int limit);

    /** Of the {@code limit} most recent transactions, the decided ones in brief, newest first (one query). */
    List<DecidedTransaction> recentDecided(int limit);
}
