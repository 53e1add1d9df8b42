package io.dtxlab.participant.branch;

import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchMachine;
import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Reply;
import io.dtxlab.core.commit.participant.Step;
import io.dtxlab.participant.ParticipantFaults;
import io.dtxlab.participant.coordinator.CoordinatorFence;
import io.dtxlab.participant.resource.BranchResource;
import io.dtxlab.participant.resource.Verdict;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.fault.InjectedFaultException;
import io.dtxlab.platform.node.NodeIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs one coordinator message against one branch: fence, state machine, resource effect and new state in one local
 * transaction, committed before the reply leaves. Messages for the same transaction are serialised (a striped
 * lock), so a duplicate or a reordered message sees the effect of the one before it.
 */
@Service
public class BranchService {

    private static final Logger log = LoggerFactory.getLogger(BranchService.class);
    private static final int STRIPES = 1024;

    private final BranchRepository branches;
    private final BranchResource<Object> resource;
    private final CoordinatorFence fence;
    private final FaultInjector faults;
    private final ObjectMapper json;
    private final TransactionTemplate tx;
    private final String participant;
    private final Clock clock = Clock.systemUTC();
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    BranchService(BranchRepository branches, BranchResource<?> resource, CoordinatorFence fence, FaultInjector faults,
            ObjectMapper json, PlatformTransactionManager transactions, NodeIdentity node, MeterRegistry meters) {
        this.branches = branches;
        this.resource = (BranchResource<Object>) resource;
        this.fence = fence;
        this.faults = faults;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
        this.participant = node.id();
        this.meters = meters;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
        Gauge.builder("dtx.branches.in.doubt", () -> branches.countByState(BranchState.PREPARED))
                .description("Branches that voted YES and wait for the decision (PREPARED), holding their reservation")
                .register(meters);
    }

    /** Handles prepare, commit or abort for transaction {@code xid}. */
    public BranchReply handle(String xid, BranchCommand command, BranchMessage message) {
        if (command == BranchCommand.PREPARE) {
            faults.at(ParticipantFaults.PREPARE_RECEIVED, xid, message.coordinator());
        } else {
            faults.at(ParticipantFaults.DECISION_RECEIVED, xid, message.coordinator());
        }
        ReentrantLock lock = locks[Math.floorMod(xid.hashCode(), STRIPES)];
        lock.lock();
        try {
            BranchReply reply = tx.execute(status -> step(xid, command, message));
            if (command == BranchCommand.PREPARE && reply.reply() == Reply.VOTE_YES) {
                // the YES is on disk; the coordinator has not heard it yet
                faults.at(ParticipantFaults.AFTER_VOTE_PERSISTED, xid, message.coordinator());
            }
            count(command, reply.reply());
            log.info("{} {} from {} (epoch {}): {} -> {}{}", command, xid, message.coordinator(), message.epoch(),
                    reply.reply(), reply.state(), reply.reason() == null ? "" : " (" + reply.reason() + ")");
            return reply;
        } finally {
            lock.unlock();
        }
    }

    private BranchReply step(String xid, BranchCommand command, BranchMessage message) {
        Branch branch = branches.findById(xid).orElse(null);
        BranchState current = branch == null ? null : branch.state();
        if (!fence.admit(message.epoch(), message.coordinator())) {
            Step stale = BranchMachine.stale(message.epoch(), fence.highest());
            return reply(xid, stale.reply(), current, stale.reason());
        }
        Step step = BranchMachine.step(current, command);
        Instant now = clock.instant();
        switch (step.effect()) {
            case RESERVE:
                return prepare(xid, message, now);
            case APPLY:
                resource.apply(xid, payloadOf(branch.payload()));
                branch.seenFrom(message.coordinator(), message.epoch());
                branch.ended(BranchState.COMMITTED, null, now);
                branches.save(branch);
                lockHeld(branch, "COMMIT", now);
                return reply(xid, step.reply(), BranchState.COMMITTED, null);
            case RELEASE:
                resource.release(xid, payloadOf(branch.payload()), message.reason());
                branch.seenFrom(message.coordinator(), message.epoch());
                branch.ended(BranchState.ABORTED, message.reason(), now);
                branches.save(branch);
                lockHeld(branch, "ABORT", now);
                return reply(xid, step.reply(), BranchState.ABORTED, null);
            case RECORD_EMPTY_ROLLBACK:
                Branch empty = new Branch(xid, message.protocol(), message.coordinator(), message.epoch(),
                        text(message.payload()));
                resource.emptyRollback(xid, payloadOrNull(message.payload()), message.reason());
                empty.emptyRollback(message.reason(), now);
                branches.save(empty);
                return reply(xid, step.reply(), BranchState.ABORTED, "empty rollback: the abort came before any prepare");
            default:
                return reply(xid, step.reply(), current, step.reason());
        }
    }

    private BranchReply prepare(String xid, BranchMessage message, Instant now) {
        Branch branch = new Branch(xid, message.protocol(), message.coordinator(), message.epoch(),
                text(message.payload()));
        Verdict verdict;
        try {
            faults.at(ParticipantFaults.VOTE_NO, xid, message.coordinator());
            verdict = resource.reserve(xid, payloadOf(text(message.payload())));
        } catch (InjectedFaultException e) {
            verdict = Verdict.no("injected fault at " + ParticipantFaults.VOTE_NO);
        } catch (JacksonException | IllegalArgumentException e) {
            verdict = Verdict.no("invalid payload: " + e.getMessage());
        }
        if (!verdict.ok()) {
            // a NO is remembered, so a repeated prepare gets the same answer and nothing is ever reserved
            Step no = BranchMachine.refused(verdict.reason());
            branch.ended(no.next(), no.reason(), now);
            branches.save(branch);
            return reply(xid, no.reply(), no.next(), no.reason());
        }
        branch.prepared(now);
        branches.save(branch);
        // reserved and written, not yet committed: a crash here loses both, and no vote was sent
        faults.at(ParticipantFaults.BEFORE_VOTE_PERSISTED, xid, message.coordinator());
        return reply(xid, Reply.VOTE_YES, BranchState.PREPARED, null);
    }

    /** Branches in doubt for longer than {@code age}, oldest first. */
    public List<BranchView> inDoubtSince(Duration age, int limit) {
        Instant now = clock.instant();
        return branches.findAllByStateAndPreparedAtBeforeOrderByPreparedAtAsc(BranchState.PREPARED,
                now.minus(age), Limit.of(limit)).stream().map(b -> b.view(participant, now)).toList();
    }

    public String participant() {
        return participant;
    }

    private Object payloadOf(String payload) {
        if (payload == null) {
            throw new IllegalArgumentException("no payload");
        }
        return json.readValue(payload, resource.payloadType());
    }

    private Object payloadOrNull(JsonNode payload) {
        try {
            return payload == null || payload.isNull() ? null : json.treeToValue(payload, resource.payloadType());
        } catch (RuntimeException e) {
            return null; // an empty rollback needs no payload
        }
    }

    private static String text(JsonNode payload) {
        return payload == null || payload.isNull() ? null : payload.toString();
    }

    private BranchReply reply(String xid, Reply reply, BranchState state, String reason) {
        return new BranchReply(xid, participant, reply, state, reason);
    }

    private void lockHeld(Branch branch, String decision, Instant now) {
        if (branch.preparedAt() != null) {
            Timer.builder("dtx.branch.lock.held")
                    .description("How long a prepared branch held its reservation before the decision released it")
                    .tag("decision", decision)
                    .register(meters)
                    .record(Duration.between(branch.preparedAt(), now));
        }
    }

    private void count(BranchCommand command, Reply reply) {
        counters.computeIfAbsent(command + "|" + reply, k -> Counter.builder("dtx.branch.messages")
                .description("Coordinator messages this participant handled, by command and reply")
                .tag("command", command.name()).tag("reply", reply.name())
                .register(meters)).increment();
    }
}
