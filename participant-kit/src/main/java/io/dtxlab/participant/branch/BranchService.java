package io.dtxlab.participant.branch;

import io.dtxlab.contract.BranchBatch;
import io.dtxlab.contract.BranchBatchReply;
import io.dtxlab.contract.BranchMessage;
import io.dtxlab.contract.BranchReply;
import io.dtxlab.core.commit.CommitProtocol;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchMachine;
import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Effect;
import io.dtxlab.core.commit.participant.Reply;
import io.dtxlab.core.commit.participant.Step;
import io.dtxlab.participant.ParticipantFaults;
import io.dtxlab.participant.coordinator.CoordinatorFence;
import io.dtxlab.participant.audit.ParticipantAudit;
import io.dtxlab.participant.resource.BranchRecord;
import io.dtxlab.participant.resource.BranchResource;
import io.dtxlab.participant.resource.ExpectedBranch;
import io.dtxlab.participant.resource.Invariant;
import io.dtxlab.participant.resource.Verdict;
import io.dtxlab.platform.fault.FaultInjector;
import io.dtxlab.platform.fault.InjectedFaultException;
import io.dtxlab.platform.fault.NodeCrashedException;
import io.dtxlab.platform.node.NodeIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs one coordinator message against one branch: fence, state machine, resource effect and new state in one local
 * transaction, committed before the reply leaves. Messages for the same transaction are serialised (a striped
 * lock), so a duplicate or a reordered message sees the effect of the one before it. A batch is its messages run
 * one after the other, each exactly so.
 */
@Service
public class BranchService implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(BranchService.class);
    private static final int STRIPES = 1024;

    private final BranchRepository branches;
    private final BranchRows rows;
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
    private final Map<BranchState, Timer> lockHeld = new EnumMap<>(BranchState.class);
    private final WaitingBranches waiting = new WaitingBranches();

    @SuppressWarnings("unchecked")
    BranchService(BranchRepository branches, BranchRows rows, BranchResource<?> resource, CoordinatorFence fence,
            FaultInjector faults, ObjectMapper json, PlatformTransactionManager transactions, NodeIdentity node,
            MeterRegistry meters) {
        this.branches = branches;
        this.rows = rows;
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
        for (BranchState decided : List.of(BranchState.COMMITTED, BranchState.ABORTED)) {
            lockHeld.put(decided, Timer.builder("dtx.branch.lock.held")
                    .description("How long a prepared branch held its reservation before the decision released it")
                    .tag("decision", decided == BranchState.COMMITTED ? "COMMIT" : "ABORT")
                    .register(meters));
        }
        Gauge.builder("dtx.branches.in.doubt", waiting, WaitingBranches::size)
                .description("Branches that voted YES and wait for the decision (PREPARED, VOTED, PRE_COMMITTED)")
                .register(meters);
    }

    /** Before the node serves any request: which branches wait for a coordinator (one query, at start only). */
    @Override
    public void afterSingletonsInstantiated() {
        branches.findByStateIn(List.of(BranchState.VOTED, BranchState.PREPARED, BranchState.PRE_COMMITTED))
                .forEach(b -> waiting.track(b.xid(), b.state(), b.preparedAt(), b.updatedAt()));
        resource.expectedBranches().forEach(this::expect);
    }

    /**
     * Expects {@code branch}, unless its record exists: if it has not arrived within
     * {@code dtx.participant.branch-expected-within}, the recovery timers ask the coordinator and
     * {@link #refuseExpected refuse} it. Costs no query while it is not due.
     */
    public void expect(ExpectedBranch<?> branch) {
        if (!rows.exists(branch.xid())) {
            waiting.expect(branch);
        }
    }

    /** The expected branches that have not arrived for longer than {@code age}. Reads nothing. */
    public List<ExpectedBranch<?>> expectedLongerThan(Duration age) {
        return waiting.expectedBefore(clock.instant().minus(age));
    }

    /** Stops expecting {@code xid} without recording anything. */
    public void forgetExpected(String xid) {
        waiting.forget(xid);
    }

    /**
     * Refuses an expected branch that never arrived: records it ABORTED as an empty rollback, with its payload, so
     * the resource records the outcome ({@link BranchResource#emptyRollback}) and a later prepare of it is refused.
     * A participant that has not voted may always abort. Returns the step, or null if the branch arrived meanwhile
     * (it is then no longer expected) or is not expected.
     *
     * @param coordinator the coordinator the branch is recorded from (the one asked)
     * @param epoch that coordinator's epoch, or 0 if it could not be asked
     */
    public BranchReply refuseExpected(String xid, String coordinator, long epoch, String reason) {
        ExpectedBranch<?> expected = waiting.expected(xid);
        if (expected == null) {
            return null;
        }
        return locked(xid, () -> {
            if (rows.exists(xid)) {
                waiting.forget(xid);
                return null;
            }
            recordEmptyRollback(xid, expected.protocol(), coordinator, epoch,
                    expected.payload() == null ? null : json.writeValueAsString(expected.payload()), expected.payload(),
                    reason, clock.instant());
            log.warn("ABORTED {}: its branch never arrived: {}", xid, reason);
            return reply(xid, Reply.ACK, BranchState.ABORTED, reason);
        });
    }

    /**
     * Handles the messages of a batch in order. While no fault is armed, all of them in one local transaction (group
     * commit, see {@link #groupCommitted}); if that fails, nothing of it was committed and each message is handled
     * alone, exactly as {@link #handle(BranchMessage)} handles it (its own fault points, lock and local transaction,
     * committed before the next begins). A STALE or CONFLICT is its reply; a message whose handling throws gets
     * {@link BranchReply#failed} and the batch goes on. A crash at a fault point ends the batch (and the node).
     */
    public BranchBatchReply handle(BranchBatch batch) {
        if (batch.messages().size() > 1 && !faults.isArmed()) {
            try {
                return groupCommitted(batch.messages());
            } catch (NodeCrashedException e) {
                throw e;
            } catch (RuntimeException e) {
                // nothing of the batch was committed: each message alone, so only the failing one fails
                log.warn("a batch of {} messages failed as one local transaction ({}); handling them one by one",
                        batch.messages().size(), e.toString());
            }
        }
        List<BranchReply> replies = new ArrayList<>(batch.messages().size());
        for (BranchMessage message : batch.messages()) {
            String previousScope = MDC.get("scope");
            MDC.put("scope", message.xid());
            try {
                replies.add(handle(message));
            } catch (NodeCrashedException e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("{} {} from {} (epoch {}) failed: {}", message.command(), message.xid(),
                        message.coordinator(), message.epoch(), e.toString());
                replies.add(BranchReply.failed(message.xid(), participant, failure(e)));
            } finally {
                if (previousScope == null) {
                    MDC.remove("scope");
                } else {
                    MDC.put("scope", previousScope);
                }
            }
        }
        return new BranchBatchReply(replies);
    }

    /**
     * Group commit: every message of a batch in one local transaction, each under its branch's lock (taken in stripe
     * order, held until the commit), so the batch costs one commit and every reply leaves after it: a YES is still on
     * disk before it is sent. Only while no fault is armed, so that every fault point keeps its per-message meaning.
     */
    private BranchBatchReply groupCommitted(List<BranchMessage> messages) {
        int[] stripes = messages.stream().mapToInt(m -> Math.floorMod(m.xid().hashCode(), STRIPES)).distinct().sorted()
                .toArray();
        for (int stripe : stripes) {
            locks[stripe].lock();
        }
        try {
            List<BranchReply> replies = tx.execute(status -> {
                List<BranchReply> stepped = new ArrayList<>(messages.size());
                for (BranchMessage m : messages) {
                    stepped.add(step(m.xid(), m.command(), m));
                }
                return stepped;
            });
            for (int i = 0; i < messages.size(); i++) {
                logged(messages.get(i), replies.get(i));
            }
            return new BranchBatchReply(replies);
        } finally {
            for (int i = stripes.length - 1; i >= 0; i--) {
                locks[stripes[i]].unlock();
            }
        }
    }

    private void logged(BranchMessage message, BranchReply reply) {
        count(message.command(), reply.reply());
        String previousScope = MDC.get("scope");
        MDC.put("scope", message.xid());
        try {
            log.info("{} {} from {} (epoch {}): {} -> {}{}", message.command(), message.xid(), message.coordinator(),
                    message.epoch(), reply.reply(), reply.state(), reply.reason() == null ? "" : " (" + reply.reason() + ")");
        } finally {
            if (previousScope == null) {
                MDC.remove("scope");
            } else {
                MDC.put("scope", previousScope);
            }
        }
    }

    /**
     * Handles a coordinator message (prepare, can-commit, pre-commit, commit, abort; apply without atomic
     * commitment). A STALE or CONFLICT is returned as the reply; an injected ERROR fault or a database error is
     * thrown, with nothing of the message committed (or, a fault after the vote was persisted, with the vote
     * committed and unsent).
     */
    public BranchReply handle(BranchMessage message) {
        String xid = message.xid();
        BranchCommand command = message.command();
        boolean phaseOne = command == BranchCommand.PREPARE || command == BranchCommand.CAN_COMMIT
                || command == BranchCommand.PRE_COMMIT || command == BranchCommand.APPLY;
        faults.at(phaseOne ? ParticipantFaults.PREPARE_RECEIVED : ParticipantFaults.DECISION_RECEIVED, xid,
                message.coordinator());
        BranchReply reply = locked(xid, () -> step(xid, command, message));
        boolean acknowledgedWork = command == BranchCommand.PRE_COMMIT || command == BranchCommand.APPLY;
        if (phaseOne && (reply.reply() == Reply.VOTE_YES || acknowledgedWork && reply.reply() == Reply.ACK)) {
            // the YES (or NONE's applied effect) is on disk; the coordinator has not heard it yet
            faults.at(ParticipantFaults.AFTER_VOTE_PERSISTED, xid, message.coordinator());
        }
        count(command, reply.reply());
        log.info("{} {} from {} (epoch {}): {} -> {}{}", command, xid, message.coordinator(), message.epoch(),
                reply.reply(), reply.state(), reply.reason() == null ? "" : " (" + reply.reason() + ")");
        return reply;
    }

    /**
     * A 3PC branch that heard nothing in time decides alone: abort if it only voted, commit if it pre-committed.
     * Returns the step taken, or null if the branch no longer waits (the message came after all).
     */
    public BranchReply timeout(String xid) {
        return locked(xid, () -> {
            Branch branch = rows.find(xid).orElse(null);
            if (branch == null) {
                return null;
            }
            return BranchMachine.onTimeout(branch.state()).map(step -> {
                BranchReply reply = apply(branch, step, null, clock.instant());
                log.warn("{} {}: {}", reply.state(), xid, step.reason());
                return reply;
            }).orElse(null);
        });
    }

    private static String failure(RuntimeException e) {
        if (e instanceof InjectedFaultException) {
            return e.getMessage();
        }
        return "failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private BranchReply locked(String xid, java.util.function.Supplier<BranchReply> work) {
        ReentrantLock lock = locks[Math.floorMod(xid.hashCode(), STRIPES)];
        lock.lock();
        try {
            return tx.execute(status -> work.get());
        } finally {
            lock.unlock();
        }
    }

    private BranchReply step(String xid, BranchCommand command, BranchMessage message) {
        Branch branch = rows.find(xid).orElse(null);
        BranchState current = branch == null ? null : branch.state();
        if (!fence.admit(message.epoch(), message.coordinator())) {
            Step stale = BranchMachine.stale(message.epoch(), fence.highest());
            return reply(xid, stale.reply(), current, stale.reason());
        }
        Step step = BranchMachine.step(current, command);
        Instant now = clock.instant();
        switch (step.effect()) {
            case CHECK:
            case RESERVE:
            case RESERVE_AND_APPLY:
                return tentative(xid, branch, step, message, now);
            case RECORD_EMPTY_ROLLBACK:
                recordEmptyRollback(xid, message.protocol(), message.coordinator(), message.epoch(),
                        text(message.payload()), payloadOrNull(message.payload()), message.reason(), now);
                return reply(xid, step.reply(), BranchState.ABORTED, "empty rollback: the abort came before any prepare");
            case RECORD_EMPTY_COMPENSATION:
                recordEmptyCompensation(xid, message, now);
                return reply(xid, step.reply(), BranchState.COMPENSATED,
                        "empty compensation: the compensation came before its step, which will be refused");
            case NONE:
                return reply(xid, step.reply(), current, step.reason());
            default:
                branch.seenFrom(message.coordinator(), message.epoch());
                return apply(branch, step, message.reason(), now);
        }
    }

    /**
     * Records a branch ABORTED before any prepare (an empty rollback), and lets the resource record the outcome, so a
     * late prepare of it is refused. Runs in the caller's local transaction.
     */
    private void recordEmptyRollback(String xid, String protocol, String coordinator, long epoch, String payloadText,
            Object payload, String reason, Instant now) {
        Branch empty = new Branch(xid, protocol, coordinator, epoch, payloadText);
        resource.emptyRollback(xid, payload, reason);
        empty.emptyRollback(reason, now);
        save(empty);
    }

    /**
     * Records a saga step COMPENSATED before the step itself arrived (an empty compensation), so that the late step is
     * refused instead of applying what nobody will ever undo. Runs in the caller's local transaction.
     */
    private void recordEmptyCompensation(String xid, BranchMessage message, Instant now) {
        Branch empty = new Branch(xid, message.protocol(), message.coordinator(), message.epoch(),
                text(message.payload()));
        resource.emptyRollback(xid, payloadOrNull(message.payload()), "empty compensation: " + message.reason());
        empty.emptyRollback("empty compensation: " + message.reason(), now);
        empty.ended(BranchState.COMPENSATED, "empty compensation: " + message.reason(), now);
        save(empty);
    }

    /** APPLY, RELEASE, COMPENSATE or RECORD on an existing branch, ending it. */
    private BranchReply apply(Branch branch, Step step, String abortReason, Instant now) {
        Object payload = payloadOf(branch.payload());
        if (step.effect() == Effect.APPLY) {
            resource.apply(branch.xid(), payload);
        } else if (step.effect() == Effect.RELEASE) {
            resource.release(branch.xid(), payload, abortReason);
        } else if (step.effect() == Effect.RECORD) {
            resource.emptyRollback(branch.xid(), payload, step.reason() != null ? step.reason() : abortReason);
        } else if (step.effect() == Effect.COMPENSATE) {
            resource.compensate(branch.xid(), payload, abortReason);
        }
        String why = step.reason() != null ? step.reason()
                : step.next() == BranchState.ABORTED || step.next() == BranchState.COMPENSATED ? abortReason : null;
        boolean held = branch.state().holdsReservation();
        branch.ended(step.next(), why, now);
        save(branch);
        if (held) {
            lockHeld(branch, step.next() == BranchState.COMMITTED ? BranchState.COMMITTED : BranchState.ABORTED, now);
        }
        return reply(branch.xid(), step.reply(), step.next(), step.reason());
    }

    /**
     * CHECK (3PC can-commit), RESERVE (2PC prepare, 3PC pre-commit) or RESERVE_AND_APPLY (NONE's apply: reserve, then
     * apply at once, in this one local transaction): the resource may refuse.
     */
    private BranchReply tentative(String xid, Branch existing, Step step, BranchMessage message, Instant now) {
        Branch branch = existing != null ? existing
                : new Branch(xid, message.protocol(), message.coordinator(), message.epoch(), text(message.payload()));
        Verdict verdict;
        Object payload = null;
        try {
            faults.at(ParticipantFaults.VOTE_NO, xid, message.coordinator());
            payload = payloadOf(branch.payload());
            verdict = step.effect() == Effect.CHECK ? resource.check(payload) : resource.reserve(xid, payload);
        } catch (InjectedFaultException e) {
            verdict = Verdict.no("injected fault at " + ParticipantFaults.VOTE_NO);
        } catch (JacksonException | IllegalArgumentException e) {
            verdict = Verdict.no("invalid payload: " + e.getMessage());
        }
        if (!verdict.ok() && verdict.busy() && message.command() == BranchCommand.TRY
                && CommitProtocol.SAGA.label().equals(message.protocol())) {
            // another saga's semantic lock: nothing is done or stored, and the coordinator tries again
            Step busy = BranchMachine.busy(verdict.reason());
            return reply(xid, busy.reply(), existing == null ? null : existing.state(), busy.reason());
        }
        if (!verdict.ok()) {
            // a NO is remembered, so a repeated message gets the same answer and nothing is ever held
            Step no = BranchMachine.refused(verdict.reason());
            branch.ended(no.next(), no.reason(), now);
            save(branch);
            return reply(xid, no.reply(), no.next(), no.reason());
        }
        branch.seenFrom(message.coordinator(), message.epoch());
        if (step.effect() == Effect.RESERVE_AND_APPLY) {
            resource.apply(xid, payload); // no vote, no second phase: the reservation becomes the effect at once
            branch.ended(step.next(), null, now);
        } else if (step.next() == BranchState.VOTED) {
            branch.voted(now);
        } else {
            branch.reserved(step.next(), now);
        }
        save(branch);
        // reserved and written, not yet committed: a crash here loses both, and no vote was sent
        faults.at(ParticipantFaults.BEFORE_VOTE_PERSISTED, xid, message.coordinator());
        return reply(xid, step.reply(), step.next(), null);
    }

    /**
     * Saves the branch in the running local transaction; once that commits, the in-memory view of waiting branches
     * follows (under the branch's lock, so changes of one branch arrive in order).
     */
    private void save(Branch branch) {
        rows.save(branch);
        String xid = branch.xid();
        BranchState state = branch.state();
        Instant preparedAt = branch.preparedAt();
        Instant updatedAt = branch.updatedAt();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                waiting.track(xid, state, preparedAt, updatedAt);
            }
        });
    }

    /**
     * Checks the resource's invariants against every branch, in one read-only transaction at REPEATABLE READ: all
     * its queries see one snapshot, and H2 keeps that snapshot's pages while a lazy result is still being read (at
     * READ COMMITTED it lets go of them once a query has started, and a lazy read can then hit a page that is gone).
     */
    public ParticipantAudit audit() {
        TransactionTemplate readOnly = new TransactionTemplate(tx.getTransactionManager());
        readOnly.setReadOnly(true);
        readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        // The rows are streamed, never listed, and H2 is asked to produce them lazily as they are read (it would
        // otherwise build each query's whole result in memory first): 100,000s of branches filled a 192 MB heap.
        return readOnly.execute(status -> rows.lazily(() -> {
            Map<String, Long> counts = new TreeMap<>();
            branches.countByState().forEach(c -> counts.put(c.state().name(), c.branches()));
            try (Stream<BranchPayload> all = branches.streamAllBy()) {
                List<Invariant> invariants = resource.invariants(all.map(b -> new BranchRecord<>(b.xid(), b.state(),
                        b.payload() == null ? null : payloadOf(b.payload()))));
                return new ParticipantAudit(participant, invariants.stream().allMatch(Invariant::holds), invariants,
                        counts);
            }
        }));
    }

    /** The most recent {@code limit} branches in the audit's compact form, newest first, in one read. */
    public List<BranchSummary> summaries(int limit) {
        TransactionTemplate readOnly = new TransactionTemplate(tx.getTransactionManager());
        readOnly.setReadOnly(true);
        return readOnly.execute(status -> branches.findByOrderByUpdatedAtDesc(Limit.of(limit)));
    }

    /**
     * Registers what to run each time a branch starts to wait for a coordinator (or is expected) (after its state is committed), so
     * that the recovery timers run only while some branch waits. One listener; a later one replaces it.
     */
    public void onWaiting(Runnable listener) {
        waiting.onWaiting(listener);
    }

    /** Whether any branch waits for a coordinator: 2PC in doubt, 3PC between its messages, or expected. */
    public boolean anyWaiting() {
        return waiting.size() > 0 || waiting.anyExpected();
    }

    /**
     * 3PC branches waiting (VOTED or PRE_COMMITTED) for longer than {@code age}, oldest first. Reads the table only
     * when one waits that long (at rest: never).
     */
    public List<String> waitingThreePhase(Duration age, int limit) {
        if (!waiting.anyThreePhaseBefore(clock.instant().minus(age))) {
            return List.of();
        }
        return branches.findAllByStateInAndUpdatedAtBeforeOrderByUpdatedAtAsc(
                List.of(BranchState.VOTED, BranchState.PRE_COMMITTED), clock.instant().minus(age), Limit.of(limit))
                .stream().map(Branch::xid).toList();
    }

    /** Branches in doubt for longer than {@code age}, oldest first. Reads the table only when one is (at rest: never). */
    public List<BranchView> inDoubtSince(Duration age, int limit) {
        Instant now = clock.instant();
        if (!waiting.anyPreparedBefore(now.minus(age))) {
            return List.of();
        }
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

    private void lockHeld(Branch branch, BranchState decided, Instant now) {
        if (branch.preparedAt() != null) {
            lockHeld.get(decided).record(Duration.between(branch.preparedAt(), now));
        }
    }

    private void count(BranchCommand command, Reply reply) {
        counters.computeIfAbsent(command + "|" + reply, k -> Counter.builder("dtx.branch.messages")
                .description("Coordinator messages this participant handled, by command and reply")
                .tag("command", command.name()).tag("reply", reply.name())
                .register(meters)).increment();
    }
}
