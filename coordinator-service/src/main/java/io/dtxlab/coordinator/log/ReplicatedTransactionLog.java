package io.dtxlab.coordinator.log;

import io.dtxlab.coordinator.consensus.NotLeaderException;
import io.dtxlab.coordinator.consensus.PaxosDriver;
import io.dtxlab.coordinator.consensus.ReplicatedState;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.platform.events.ClusterEventPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The coordinators' transaction log, replicated with Paxos. The leader proposes records (BEGIN, PRE_COMMIT, DECISION,
 * END); a record is durable once a majority has accepted it and it is chosen, and no message that depends on it
 * leaves before that. Group commit: the records of one {@link #append} call ride one consensus round, and chosen
 * records are applied to this coordinator's H2 copy ({@link H2TransactionLog}) a batch at a time, in slot order, in
 * one local transaction that also records the last slot applied. Every coordinator applies every chosen record; reads
 * and a new leader's recovery see that copy.
 *
 * <p>As the driver's {@link ReplicatedState}: a restart replays only the slots after the recorded one, and a
 * coordinator behind the leader's log compaction gets the leader's whole {@code tx_log} table as a snapshot (a JSON
 * array of its rows, about 430 bytes per transaction with two small branches, in one message) that replaces its own.
 * Limit: the rows travel as one JSON string, and Jackson reads strings of up to 100 million characters by default, so
 * a table beyond roughly 200,000 such transactions cannot be sent this way (the leader logs the failure and the
 * follower stays behind); both ends hold the whole snapshot in memory while it is built, sent and installed.
 */
@Component
class ReplicatedTransactionLog implements TransactionLog, ReplicatedState {

    private static final Logger log = LoggerFactory.getLogger(ReplicatedTransactionLog.class);
    /** A record that loses its slot to another value (a new leader's no-op) is proposed again, this many times. */
    private static final int ATTEMPTS = 3;
    private static final java.util.Set<String> KNOWN_TYPES = java.util.Set.of("BEGIN", "PRE_COMMIT", "DECISION", "END");

    private final PaxosDriver paxos;
    private final H2TransactionLog local;
    private final ObjectMapper json;
    private final ClusterEventPublisher events;
    /** DECISIONs chosen after another decision of their transaction: the one that counts, until its proposer asks. */
    private final Map<String, String> overruled = new ConcurrentHashMap<>();

    ReplicatedTransactionLog(PaxosDriver paxos, H2TransactionLog local, ObjectMapper json,
            ClusterEventPublisher events) {
        this.paxos = paxos;
        this.local = local;
        this.json = json;
        this.events = events;
        paxos.replicate(this);
    }

    @Override
    public List<CompletableFuture<LogReceipt>> append(List<LogEntry> entries) {
        List<CompletableFuture<LogReceipt>> receipts = new ArrayList<>(entries.size());
        entries.forEach(e -> receipts.add(new CompletableFuture<>()));
        propose(entries, receipts, 1);
        return receipts;
    }

    private void propose(List<LogEntry> entries, List<CompletableFuture<LogReceipt>> receipts, int attempt) {
        List<String> payloads = entries.stream().map(json::writeValueAsString).toList();
        List<CompletableFuture<PaxosDriver.Chosen>> chosen;
        try {
            chosen = paxos.propose(payloads);
        } catch (RuntimeException e) {
            receipts.forEach(r -> r.completeExceptionally(e));
            return;
        }
        int records = entries.size();
        for (int i = 0; i < records; i++) {
            LogEntry entry = entries.get(i);
            CompletableFuture<LogReceipt> receipt = receipts.get(i);
            chosen.get(i).whenComplete((c, error) -> {
                if (error != null) {
                    receipt.completeExceptionally(error instanceof java.util.concurrent.CompletionException
                            && error.getCause() != null ? error.getCause() : error);
                } else if (!c.ours()) {
                    if (attempt >= ATTEMPTS) {
                        receipt.completeExceptionally(new NotLeaderException(null, entry.type() + " of " + entry.xid()
                                + " kept losing its slot"));
                    } else {
                        log.info("[{}] {} lost slot {} to another value; proposing again", entry.xid(), entry.type(),
                                c.slot());
                        propose(List.of(entry), List.of(receipt), attempt + 1);
                    }
                } else {
                    receipt.complete(receiptOf(entry, c, records));
                }
            });
        }
    }

    private LogReceipt receiptOf(LogEntry entry, PaxosDriver.Chosen c, int records) {
        String counts = null;
        if ("DECISION".equals(entry.type())) {
            String other = overruled.remove(entry.xid());
            counts = other != null ? other : entry.decision();
            events.publish("DECISION", Map.of("xid", entry.xid(), "decision", counts, "slot", c.slot()));
        }
        return new LogReceipt(c.slot(), c.messages(), records, c.millis(), counts);
    }

    @Override
    public Optional<LoggedTransaction> find(String xid) {
        return local.find(xid);
    }

    @Override
    public List<LoggedTransaction> unfinished() {
        return local.unfinished();
    }

    @Override
    public List<LoggedTransaction> recent(int limit) {
        return local.recent(limit);
    }

    @Override
    public List<DecidedTransaction> recentDecided(int limit) {
        return local.recentDecided(limit);
    }

    @Override
    public long appliedThrough() {
        return local.appliedThrough();
    }

    /**
     * Applies chosen records to this coordinator's copy, with the last slot, in one local transaction; replaying them
     * again changes nothing. A record that is not one of the log's types is skipped with a warning.
     */
    @Override
    public void apply(List<SlotValue> chosen) {
        List<LogEntry> entries = new ArrayList<>(chosen.size());
        for (SlotValue v : chosen) {
            if (v.value().isNoop()) {
                continue;
            }
            LogEntry entry;
            try {
                entry = json.readValue(v.value().payload(), LogEntry.class);
            } catch (RuntimeException e) {
                log.warn("slot {}: not a log record, skipped: {}", v.slot(), e.getMessage());
                continue;
            }
            if (KNOWN_TYPES.contains(entry.type())) {
                entries.add(entry);
            } else {
                log.warn("slot {}: unknown record type {}, skipped", v.slot(), entry.type());
            }
        }
        Map<String, String> lost = local.apply(entries, chosen.get(chosen.size() - 1).slot());
        if (overruled.size() > 10_000) {
            overruled.clear(); // only a proposer asks, once: on a follower they would pile up
        }
        overruled.putAll(lost);
    }

    @Override
    public Snapshot snapshot() {
        H2TransactionLog.SnapshotRows rows = local.snapshot();
        return new Snapshot(rows.throughSlot(), rows.json());
    }

    @Override
    public void install(Snapshot snapshot) {
        int rows = local.install(snapshot.lastSlot(), snapshot.state());
        log.info("installed a snapshot of {} transactions through slot {}", rows, snapshot.lastSlot());
    }
}
