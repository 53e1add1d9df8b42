package io.dtxlab.coordinator.log;

import io.dtxlab.coordinator.consensus.ConsensusProperties;
import io.dtxlab.coordinator.consensus.NotLeaderException;
import io.dtxlab.coordinator.consensus.PaxosDriver;
import io.dtxlab.core.commit.Decision;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.platform.events.ClusterEventPublisher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The coordinators' transaction log, replicated with Paxos. A record (BEGIN, PRE_COMMIT, DECISION, END) is
 * proposed by the leader and returns only once a majority has accepted it and it is chosen: no decision is sent to
 * a participant before that. Every coordinator applies every chosen record, in slot order, to its own H2 copy
 * ({@link H2TransactionLog}), which is what reads and a new leader's recovery see.
 */
@Component
@Primary
class ReplicatedTransactionLog implements TransactionLog {

    private static final Logger log = LoggerFactory.getLogger(ReplicatedTransactionLog.class);

    /** One record of the replicated log, as JSON in a Paxos slot. */
    record Entry(String type, String xid, LoggedTransaction begin, String decision, String reason,
            Map<String, String> votes, Instant at) {
    }

    private final PaxosDriver paxos;
    private final H2TransactionLog local;
    private final ObjectMapper json;
    private final ConsensusProperties properties;
    private final ClusterEventPublisher events;

    ReplicatedTransactionLog(PaxosDriver paxos, H2TransactionLog local, ObjectMapper json,
            ConsensusProperties properties, ClusterEventPublisher events) {
        this.paxos = paxos;
        this.local = local;
        this.json = json;
        this.properties = properties;
        this.events = events;
        paxos.onChosen(batch -> batch.forEach(this::apply));
    }

    @Override
    public LogReceipt begin(LoggedTransaction t) {
        if (local.find(t.xid()).isPresent()) {
            throw new DuplicateKeyException("transaction " + t.xid() + " was begun before");
        }
        return choose(new Entry("BEGIN", t.xid(), t, null, null, null, t.begunAt()));
    }

    @Override
    public LogReceipt preCommit(String xid, Instant at) {
        return choose(new Entry("PRE_COMMIT", xid, null, null, null, null, at));
    }

    @Override
    public LogReceipt decide(String xid, Decision decision, String reason, Map<String, String> votes, Instant at) {
        LogReceipt chosen = choose(new Entry("DECISION", xid, null, decision.name(), reason, votes, at));
        String counts = local.find(xid).map(LoggedTransaction::decision).orElse(decision.name());
        events.publish("DECISION", Map.of("xid", xid, "decision", counts, "slot", chosen.slot()));
        return new LogReceipt(chosen.slot(), chosen.consensusMessages(), chosen.millis(), counts);
    }

    @Override
    public LogReceipt end(String xid, Instant at) {
        return choose(new Entry("END", xid, null, null, null, null, at));
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

    /** Proposes the entry until it is chosen in some slot (a slot lost to a new leader's no-op is retried). */
    private LogReceipt choose(Entry entry) {
        String payload = json.writeValueAsString(entry);
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                PaxosDriver.Chosen chosen = paxos.propose(payload)
                        .get(properties.proposeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                if (chosen.ours()) {
                    return new LogReceipt(chosen.slot(), chosen.messages(), chosen.millis(), null);
                }
                log.info("[{}] {} lost slot {} to another value; proposing again", entry.xid(), entry.type(), chosen.slot());
            } catch (ExecutionException | CompletionException e) {
                if (e.getCause() instanceof NotLeaderException notLeader) {
                    throw notLeader;
                }
                throw new IllegalStateException(e.getCause());
            } catch (TimeoutException e) {
                throw new NotLeaderException(null, entry.type() + " was not chosen within "
                        + properties.proposeTimeout().toMillis() + " ms: no majority answers");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NotLeaderException(null, "interrupted");
            }
        }
        throw new NotLeaderException(null, entry.type() + " kept losing its slot");
    }

    /** Applies a chosen record to this coordinator's copy; replaying the whole log again changes nothing. */
    private void apply(SlotValue chosen) {
        if (chosen.value().isNoop()) {
            return;
        }
        Entry e = json.readValue(chosen.value().payload(), Entry.class);
        switch (e.type()) {
            case "BEGIN":
                local.beginIfAbsent(e.begin());
                break;
            case "PRE_COMMIT":
                local.preCommit(e.xid(), e.at());
                break;
            case "DECISION":
                local.decide(e.xid(), Decision.valueOf(e.decision()), e.reason(), e.votes(), e.at());
                break;
            case "END":
                local.end(e.xid(), e.at());
                break;
            default:
                log.warn("slot {}: unknown record type {}", chosen.slot(), e.type());
        }
    }
}
