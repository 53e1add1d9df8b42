package io.dtxlab.core.commit;

import io.dtxlab.core.commit.coordinator.BranchRequest;
import io.dtxlab.core.commit.coordinator.CoordinatorInput;
import io.dtxlab.core.commit.coordinator.CoordinatorReady;
import io.dtxlab.core.commit.coordinator.CoordinatorTiming;
import io.dtxlab.core.commit.coordinator.Coordinators;
import io.dtxlab.core.commit.coordinator.LogRecord;
import io.dtxlab.core.commit.coordinator.Outcome;
import io.dtxlab.core.commit.coordinator.Phase;
import io.dtxlab.core.commit.coordinator.RecoveredTransaction;
import io.dtxlab.core.commit.coordinator.TimerRequest;
import io.dtxlab.core.commit.coordinator.TransactionCoordinator;
import io.dtxlab.core.commit.participant.BranchCommand;
import io.dtxlab.core.commit.participant.BranchMachine;
import io.dtxlab.core.commit.participant.BranchState;
import io.dtxlab.core.commit.participant.Effect;
import io.dtxlab.core.commit.participant.EpochFence;
import io.dtxlab.core.commit.participant.Reply;
import io.dtxlab.core.commit.participant.Step;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * One seeded run of the production machines: a coordinator ({@link Coordinators}, one machine per transaction) and
 * three participants ({@link BranchMachine} behind an {@link EpochFence}), under a discrete-event scheduler with
 * simulated time in milliseconds. The edge here does what the services do: it logs before it sends, feeds
 * {@code Logged} back when a record is chosen, turns a message without an answer into {@code Lost} after a request
 * timeout, maps the participants' replies to inputs, and sets the timers the machine asks for.
 * <p>
 * Faults while they last: coordinator crashes (it restarts as a new leader with a higher epoch and recovers every
 * unfinished transaction from the durable log through {@link Coordinators#recover}; appends in flight at the crash
 * are chosen or lost at random), participant crashes (they keep their branch states and fence; a crash may fall
 * between persisting a step and replying), message loss, duplication, reordering, delays and partitions between the
 * coordinator and one participant that heal. 3PC participants decide alone on their own timeout
 * ({@link BranchMachine#onTimeout}).
 * <p>
 * 2PC runs get an asynchronous network (loss, long delays, long crashes). 3PC runs get what 3PC assumes outside
 * partitions: messages arrive within a bound (reordered and duplicated, not lost) and crashes are shorter than the
 * participants' timeout; a partition (which may outlast it) is the one fault that breaks the assumption.
 * <p>
 * Checked after every event: every COMMIT/ABORT sent carries the durable decision and every other message the
 * record it depends on (persist before send); no machine's decision ever differs from the first logged one; every
 * answer is that decision; no transaction has a COMMITTED and an ABORTED branch, and no branch holds the opposite of
 * the logged decision (2PC: always a failure; 3PC: a failure unless a partition happened, then counted). After the
 * faults stop, every transaction must terminate: decision and END logged, the answer given, every branch final.
 * <p>
 * TCC runs as 2PC does, under its own names. A saga is checked by its own rules ({@link #checkSaga}): it is mixed
 * while it runs, and must end all applied (COMMIT) or with every applied step compensated (ABORT). A saga with
 * semantic locks locks a random subset of its steps; while the faults last, a locked step's resource may answer a try
 * BUSY for a while (another saga's pending effect), sometimes for longer than the coordinator's lock wait.
 */
final class CommitSimulation {

    static final List<String> NODES = List.of("order", "inventory", "payment");
    static final CoordinatorTiming TIMING = new CoordinatorTiming(300, 20, 320, 200, 1_000);
    static final long REQUEST_TIMEOUT = 100;
    /** A 3PC participant's own timeout: ten times the longest any fault but a partition delays it. */
    static final long PARTICIPANT_TIMEOUT = 3_000;
    static final long SETTLE = 60_000;

    private record Event(long at, long seq, Runnable action) {
    }

    /** The durable log of one transaction, as the replicated coordinator log holds it. */
    private static final class TxLog {
        List<String> participants;
        Set<String> locked;
        boolean preCommit;
        LogRecord.DecisionRecord decision;
        boolean end;
    }

    private static final class Node {
        final String name;
        boolean up = true;
        final Map<String, BranchState> states = new HashMap<>();
        final Map<String, Long> changedAt = new HashMap<>();
        final EpochFence fence = new EpochFence(0);

        Node(String name) {
            this.name = name;
        }
    }

    private static final class Append {
        final String xid;
        final LogRecord record;
        final int incarnation;
        boolean resolved;

        Append(String xid, LogRecord record, int incarnation) {
            this.xid = xid;
            this.record = record;
            this.incarnation = incarnation;
        }
    }

    private final long seed;
    private final CommitProtocol protocol;
    private final boolean threePhase;
    private final boolean saga;
    private final boolean locking;
    private final Random random;
    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long seq;
    private long now;
    private final boolean tracing;
    private final ArrayDeque<String> trace = new ArrayDeque<>();

    private final Map<String, TxLog> log = new LinkedHashMap<>();
    private final List<Append> pending = new ArrayList<>();
    private final Map<String, List<String>> workload = new LinkedHashMap<>();
    private final Map<String, Set<String>> locks = new HashMap<>();
    /** A locked step's resource answers a try BUSY until then (simulated time), from its first try on. */
    private final Map<String, Long> busyFor = new HashMap<>();
    private final Map<String, Long> busyUntil = new HashMap<>();
    private final Set<String> submitted = new HashSet<>();
    private final Map<String, Outcome> answers = new HashMap<>();
    private final Map<String, TransactionCoordinator> machines = new HashMap<>();
    private boolean coordinatorUp = true;
    private int incarnation = 1;
    private long epoch = 1;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Map<String, Boolean>> resourceAgrees = new HashMap<>();
    private final Set<Long> answeredRequests = new HashSet<>();
    private long requests;

    // faults
    private long faultsEnd;
    private boolean faulty = true;
    private String cutOff;
    /** A targeted partition: cut this participant off as soon as its branch holds a reservation. */
    private String cutWhenReserved;
    private long cutLasts;
    private boolean partitioned;
    private boolean anomaly;
    /**
     * A fault point, as the services have them: the coordinator crashes in the middle of the first step that
     * matches (its records handed to the log, only some of its messages sent), e.g. "logged PreCommit" (pre-commit
     * durable, the fan-out cut short) or "record DecisionRecord" (the votes are in, the decision may or may not be
     * chosen). Null: none this run.
     */
    private String crashPoint;
    private static final List<String> CRASH_POINTS = List.of("record Begin", "logged Begin", "record PreCommit",
            "logged PreCommit", "record DecisionRecord", "logged DecisionRecord", "first ack", "recovered");
    private final double loss;
    private final double duplication;
    private final long maxDelay;
    private final double crashBeforeReply;

    // figures
    private long events;
    private long messages;
    private int coordinatorCrashes;
    private int participantCrashes;
    private long fenced;
    private long lastEnd;

    CommitSimulation(long seed, CommitProtocol protocol, boolean tracing) {
        this(seed, protocol, false, tracing);
    }

    /** @param locking a saga whose steps may take semantic locks */
    CommitSimulation(long seed, CommitProtocol protocol, boolean locking, boolean tracing) {
        this.seed = seed;
        this.protocol = protocol;
        this.threePhase = protocol == CommitProtocol.THREE_PHASE;
        this.saga = protocol == CommitProtocol.SAGA;
        this.locking = saga && locking;
        this.tracing = tracing;
        this.random = new Random(seed * 31 + protocol.ordinal() + (this.locking ? 17 : 0));
        NODES.forEach(n -> nodes.put(n, new Node(n)));
        loss = threePhase ? 0 : random.nextDouble() * 0.08;
        duplication = random.nextDouble() * 0.1;
        maxDelay = threePhase ? 30 : random.nextInt(5) == 0 ? 100 + random.nextInt(400) : 5 + random.nextInt(60);
        crashBeforeReply = random.nextDouble() * 0.02;
        crashPoint = random.nextBoolean() ? CRASH_POINTS.get(random.nextInt(CRASH_POINTS.size())) : null;
    }

    /** Runs to the end; throws an AssertionError naming the broken rule. */
    void run() {
        faultsEnd = 500 + random.nextInt(3_500);
        int transactions = 1 + random.nextInt(4);
        for (int i = 1; i <= transactions; i++) {
            String xid = "tx-" + i;
            List<String> branches = new ArrayList<>(NODES);
            if (random.nextInt(4) == 0) {
                branches.remove(random.nextInt(branches.size()));
            }
            workload.put(xid, branches);
            Map<String, Boolean> agrees = new HashMap<>();
            branches.forEach(p -> agrees.put(p, random.nextInt(10) > 0)); // a NO now and then
            resourceAgrees.put(xid, agrees);
            Set<String> locked = new HashSet<>();
            if (locking) {
                for (String p : branches) {
                    if (random.nextBoolean()) {
                        locked.add(p);
                        if (random.nextInt(3) == 0) {
                            busyFor.put(xid + "/" + p, (long) random.nextInt(1_500));
                        }
                    }
                }
            }
            locks.put(xid, locked);
            at(random.nextInt(1_500), () -> submit(xid));
        }
        scheduleFaults();
        at(faultsEnd, this::heal);
        while (!queue.isEmpty()) {
            Event e = queue.poll();
            if (e.at > faultsEnd + SETTLE) {
                break;
            }
            now = e.at;
            events++;
            e.action.run();
            checkOutcomes();
        }
        checkTerminated();
    }

    // the workload and the coordinator's edge

    private void submit(String xid) {
        submitted.add(xid);
        if (coordinatorUp && !log.containsKey(xid) && !machines.containsKey(xid)) {
            note("begin %s %s %s", xid, protocol.label(), workload.get(xid));
            TransactionCoordinator m = Coordinators.begin(xid, protocol, workload.get(xid), locks.get(xid), TIMING,
                    new Random(random.nextLong()));
            machines.put(xid, m);
            feed(xid, new CoordinatorInput.Start());
        }
    }

    private void feed(String xid, CoordinatorInput input) {
        TransactionCoordinator m = machines.get(xid);
        if (m == null || !coordinatorUp) {
            return;
        }
        note("coordinator(e%d) %s <- %s", epoch, xid, input);
        CoordinatorReady ready = m.step(input);
        int inc = incarnation;
        CoordinatorReady.Outbox out = ready.log(record -> append(xid, record, inc));
        if (crashPoint != null && faulty && crashPoint.equals(point(input, ready))) {
            crashPoint = null;
            int sent = random.nextInt(out.messages().size() + 1);
            note("fault point: the coordinator crashes after sending %d of %d messages", sent, out.messages().size());
            for (BranchRequest r : out.messages().subList(0, sent)) {
                checkPersistedBeforeSend(xid, r, log.get(xid));
                send(xid, r);
            }
            crashCoordinator();
            at(now + 10 + random.nextInt(threePhase ? 400 : 3_000), this::restartCoordinator);
            return;
        }
        TxLog durable = log.get(xid);
        Decision decided = m.status().decision();
        if (decided != null && (durable == null || durable.decision == null || durable.decision.decision() != decided)) {
            fail("the machine holds decision " + decided + " but the log's first decision is "
                    + (durable == null || durable.decision == null ? "none" : durable.decision.decision()));
        }
        for (BranchRequest r : out.messages()) {
            checkPersistedBeforeSend(xid, r, durable);
            send(xid, r);
        }
        for (TimerRequest t : out.timers()) {
            at(now + t.afterMillis(), () -> {
                if (incarnation == inc) {
                    feed(xid, new CoordinatorInput.TimerFired(t.kind(), t.participant()));
                }
            });
        }
        out.answer().ifPresent(a -> {
            String reason = durable == null || durable.decision == null ? null : durable.decision.reason();
            if (saga && reason != null) {
                reason = "compensated: " + reason;
            }
            if (durable == null || durable.decision == null || !a.outcome().equals(durable.decision.decision().name())
                    || !java.util.Objects.equals(a.reason(), reason)) {
                fail("answer " + a + " is not the logged decision");
            }
            answers.put(xid, a);
            note("answer %s: %s", xid, a);
        });
    }

    /** Which fault point a step is at, if any. */
    private static String point(CoordinatorInput input, CoordinatorReady ready) {
        if (input instanceof CoordinatorInput.Logged l) {
            return "logged " + l.record().getClass().getSimpleName();
        }
        if (!ready.records().isEmpty()) {
            return "record " + ready.records().get(0).getClass().getSimpleName();
        }
        if (input instanceof CoordinatorInput.Acknowledged a && a.phase() == Phase.DECISION) {
            return "first ack";
        }
        if (input instanceof CoordinatorInput.Start && !ready.isEmpty()) {
            return "recovered";
        }
        return null;
    }

    private void checkPersistedBeforeSend(String xid, BranchRequest r, TxLog durable) {
        if (r.isStateRequest()) {
            return;
        }
        boolean ok;
        switch (r.command()) {
            case PREPARE:
            case TRY:
                // presumed abort: 2PC and TCC send phase 1 while BEGIN is logged; a saga's try waits for it
                ok = durable != null || protocol == CommitProtocol.TWO_PHASE || protocol == CommitProtocol.TCC;
                break;
            case CAN_COMMIT:
            case APPLY:
                ok = durable != null;
                break;
            case PRE_COMMIT:
                ok = durable != null && (durable.preCommit
                        || durable.decision != null && durable.decision.decision() == Decision.COMMIT);
                break;
            case COMMIT:
            case CONFIRM:
                ok = durable != null && durable.decision != null && durable.decision.decision() == Decision.COMMIT;
                break;
            case ABORT:
            case CANCEL:
            case COMPENSATE:
                ok = durable != null && durable.decision != null && durable.decision.decision() == Decision.ABORT;
                break;
            default:
                ok = false;
        }
        if (!ok) {
            fail(r.command() + " to " + r.participant() + " for " + xid + " before the record it depends on is durable");
        }
    }

    /** Hands a record to the replicated log: chosen after a short while, unless the leader dies first. */
    private void append(String xid, LogRecord record, int inc) {
        Append a = new Append(xid, record, inc);
        pending.add(a);
        at(now + 1 + random.nextInt(5), () -> {
            if (a.resolved) {
                return;
            }
            a.resolved = true;
            pending.remove(a);
            LogRecord counts = choose(a);
            if (incarnation == inc) {
                feed(xid, new CoordinatorInput.Logged(counts));
            }
        });
    }

    /** Makes the record durable; for a decision returns the one that counts: the first. */
    private LogRecord choose(Append a) {
        TxLog t = log.get(a.xid);
        if (a.record instanceof LogRecord.Begin b) {
            if (t == null) {
                t = new TxLog();
                t.participants = b.participants();
                t.locked = b.semanticLocks();
                log.put(a.xid, t);
            }
            return b;
        }
        if (t == null) {
            fail(a.record + " logged before BEGIN");
        }
        if (a.record instanceof LogRecord.PreCommit) {
            t.preCommit = true;
        } else if (a.record instanceof LogRecord.DecisionRecord d) {
            if (t.decision == null) {
                t.decision = d;
                note("log %s: DECISION %s (%s)", a.xid, d.decision(), d.reason());
            }
            return t.decision;
        } else if (a.record instanceof LogRecord.End) {
            t.end = true;
            lastEnd = Math.max(lastEnd, now);
        }
        return a.record;
    }

    private void send(String xid, BranchRequest r) {
        long id = ++requests;
        long epochOut = epoch;
        int inc = incarnation;
        Node node = nodes.get(r.participant());
        transmit(r.participant(), () -> receive(node, xid, r, epochOut, id, inc));
        at(now + REQUEST_TIMEOUT, () -> {
            if (incarnation == inc && !answeredRequests.contains(id)) {
                feed(xid, new CoordinatorInput.Lost(r.participant(), r.phase(),
                        "no answer within " + REQUEST_TIMEOUT + " ms"));
            }
        });
    }

    /** The participant's reply, back at the coordinator, as the input of the request's phase. */
    private void replied(String xid, BranchRequest r, Step step, BranchState state, long id, int inc) {
        if (incarnation != inc || !coordinatorUp) {
            return; // the incarnation that asked is gone: nobody reads this answer
        }
        answeredRequests.add(id);
        String p = r.participant();
        CoordinatorInput input;
        Reply reply = step == null ? null : step.reply();
        boolean refused = reply == Reply.CONFLICT || reply == Reply.STALE;
        switch (r.phase()) {
            case VOTE:
                input = refused ? new CoordinatorInput.Refused(p, Phase.VOTE, reply + ": " + step.reason())
                        : new CoordinatorInput.Voted(p, reply == Reply.VOTE_YES ? Vote.YES : Vote.NO, step.reason());
                break;
            case PRE_COMMIT:
                input = refused ? new CoordinatorInput.Refused(p, Phase.PRE_COMMIT, reply + ": " + step.reason())
                        : new CoordinatorInput.Acknowledged(p, Phase.PRE_COMMIT, reply == Reply.ACK, step.reason());
                break;
            case DECISION:
            case COMPENSATION:
                input = reply == Reply.ACK ? new CoordinatorInput.Acknowledged(p, r.phase(), true, null)
                        : new CoordinatorInput.Refused(p, r.phase(), reply + ": " + step.reason());
                break;
            case STEP:
                input = refused ? new CoordinatorInput.Refused(p, Phase.STEP, reply + ": " + step.reason())
                        : reply == Reply.BUSY ? new CoordinatorInput.Busy(p, Phase.STEP, r.attempt(), step.reason())
                        : new CoordinatorInput.Acknowledged(p, Phase.STEP, reply == Reply.ACK || reply == Reply.VOTE_YES,
                                step.reason());
                break;
            default:
                input = new CoordinatorInput.BranchStateLearned(p, state);
        }
        feed(xid, input);
    }

    // participants

    private void receive(Node node, String xid, BranchRequest r, long epochIn, long id, int inc) {
        if (!node.up) {
            return;
        }
        if (r.isStateRequest()) {
            BranchState s = node.states.get(xid);
            BranchState answer = s == null ? BranchState.ABORTED : s; // never heard of it: it cannot commit
            transmit(node.name, () -> replied(xid, r, null, answer, id, inc));
            return;
        }
        Step step;
        if (!node.fence.admit(epochIn)) {
            step = BranchMachine.stale(epochIn, node.fence.highest());
            fenced++;
        } else {
            step = BranchMachine.step(node.states.get(xid), r.command());
            boolean tentative = step.effect() == Effect.CHECK || step.effect() == Effect.RESERVE
                    || step.effect() == Effect.RESERVE_AND_APPLY;
            if (tentative && !resourceAgrees.get(xid).getOrDefault(node.name, false)) {
                step = BranchMachine.refused("the resource refuses");
            } else if (tentative && r.command() == BranchCommand.TRY && saga && busy(xid, node.name)) {
                step = BranchMachine.busy("held by another saga's pending effect");
            }
            if (step.changesState()) {
                change(node, xid, step.next(), r.command() + " (epoch " + epochIn + ")");
            }
        }
        note("%s %s %s (e%d) -> %s", node.name, xid, r.command(), epochIn, step);
        if (faulty && random.nextDouble() < crashBeforeReply) {
            crash(node); // persisted, not answered
            return;
        }
        Step answered = step;
        transmit(node.name, () -> replied(xid, r, answered, null, id, inc));
    }

    /** Whether a locked step's try finds what it needs held by others now (only while the faults last). */
    private boolean busy(String xid, String participant) {
        Long lasts = busyFor.get(xid + "/" + participant);
        if (lasts == null || !faulty) {
            return false;
        }
        return now < busyUntil.computeIfAbsent(xid + "/" + participant, k -> now + lasts);
    }

    private void change(Node node, String xid, BranchState next, String why) {
        node.states.put(xid, next);
        node.changedAt.put(xid, now);
        note("%s %s -> %s by %s", node.name, xid, next, why);
        if (threePhase && (next == BranchState.VOTED || next == BranchState.PRE_COMMITTED)) {
            armTimeout(node, xid, now + PARTICIPANT_TIMEOUT);
        }
        if (next.holdsReservation() && node.name.equals(cutWhenReserved) && faulty) {
            cutWhenReserved = null;
            partition(node.name, cutLasts); // the moment that hurts: in doubt, its ack not yet sent
        }
    }

    private void armTimeout(Node node, String xid, long when) {
        long since = node.changedAt.get(xid);
        at(when, () -> {
            if (!node.up || node.changedAt.get(xid) != since) {
                return; // down (the restart re-arms it), or the branch moved on
            }
            BranchMachine.onTimeout(node.states.get(xid))
                    .ifPresent(step -> change(node, xid, step.next(), "its own timeout"));
        });
    }

    // the network

    private void transmit(String participant, Runnable delivery) {
        messages++;
        int copies = faulty && random.nextDouble() < duplication ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            if (faulty && (random.nextDouble() < loss || participant.equals(cutOff))) {
                continue;
            }
            at(now + 1 + random.nextInt((int) (faulty ? maxDelay : 10)), () -> {
                if (!participant.equals(cutOff)) {
                    delivery.run();
                }
            });
        }
    }

    // faults

    private void scheduleFaults() {
        int coordinatorCrashesPlanned = threePhase ? random.nextInt(2) : random.nextInt(4);
        for (int i = 0; i < coordinatorCrashesPlanned; i++) {
            long at = random.nextInt((int) faultsEnd);
            long down = 10 + random.nextInt(threePhase ? 400 : 3_000);
            at(at, () -> {
                if (coordinatorUp && faulty) {
                    crashCoordinator();
                    at(now + down, this::restartCoordinator);
                }
            });
        }
        int participantCrashesPlanned = threePhase ? random.nextInt(2) : random.nextInt(4);
        for (int i = 0; i < participantCrashesPlanned; i++) {
            Node node = nodes.get(NODES.get(random.nextInt(NODES.size())));
            long at = random.nextInt((int) faultsEnd);
            long down = 10 + random.nextInt(threePhase ? 400 : 3_000);
            at(at, () -> {
                if (node.up && faulty) {
                    crash(node);
                    at(now + down, () -> restart(node));
                }
            });
        }
        if (random.nextInt(3) == 0) {
            String victim = NODES.get(random.nextInt(NODES.size()));
            long lasts = 100 + random.nextInt(threePhase ? 6_000 : 3_000);
            if (random.nextBoolean()) {
                at(random.nextInt((int) faultsEnd), () -> partition(victim, lasts));
            } else {
                cutWhenReserved = victim;
                cutLasts = lasts;
            }
        }
    }

    private void partition(String victim, long lasts) {
        if (!faulty || cutOff != null) {
            return;
        }
        cutOff = victim;
        partitioned = true;
        note("partition: %s cut off from the coordinator for %d ms", victim, lasts);
        at(now + lasts, () -> {
            if (victim.equals(cutOff)) {
                cutOff = null;
                note("partition healed");
            }
        });
    }

    private void crashCoordinator() {
        coordinatorCrashes++;
        note("coordinator crashes (epoch %d)", epoch);
        coordinatorUp = false;
        incarnation++;
        machines.clear();
        // a record in flight was chosen by a majority, or not: the new leader finds whichever happened
        for (Append a : List.copyOf(pending)) {
            a.resolved = true;
            if (random.nextBoolean()) {
                choose(a);
            }
        }
        pending.clear();
    }

    /** A new leader with a higher epoch: recovers every unfinished transaction in the log, as a takeover does. */
    private void restartCoordinator() {
        if (coordinatorUp) {
            return;
        }
        coordinatorUp = true;
        epoch++;
        note("coordinator restarts as epoch %d", epoch);
        for (Map.Entry<String, TxLog> e : log.entrySet()) {
            TxLog t = e.getValue();
            if (t.end) {
                continue;
            }
            LogRecord.DecisionRecord d = t.decision;
            RecoveredTransaction logged = new RecoveredTransaction(e.getKey(), protocol, t.participants, t.preCommit,
                    d == null ? null : d.decision(), d == null ? null : d.reason(), d == null ? Map.of() : d.votes(),
                    t.locked);
            machines.put(e.getKey(), Coordinators.recover(logged, TIMING, new Random(random.nextLong())));
            feed(e.getKey(), new CoordinatorInput.Start());
        }
        // a client whose answer was lost in the crash asks again; a transaction the log saw end answers from the log,
        // as the coordinator's begin does for an xid it knows
        log.forEach((xid, t) -> {
            if (t.end && t.decision != null && !answers.containsKey(xid)) {
                String why = t.decision.reason();
                answers.put(xid, new Outcome(t.decision.decision().name(), saga && why != null ? "compensated: " + why : why));
                note("answer %s from the log: %s", xid, answers.get(xid));
            }
        });
        // begins that never became durable: the client asks again
        for (String xid : workload.keySet()) {
            if (submitted.contains(xid) && !log.containsKey(xid)) {
                submit(xid);
            }
        }
    }

    private void crash(Node node) {
        participantCrashes++;
        node.up = false;
        note("%s crashes", node.name);
        long down = 10 + random.nextInt(threePhase ? 400 : 3_000);
        at(now + down, () -> restart(node));
    }

    private void restart(Node node) {
        if (node.up) {
            return;
        }
        node.up = true;
        note("%s restarts", node.name);
        if (threePhase) {
            node.states.forEach((xid, s) -> {
                if (s == BranchState.VOTED || s == BranchState.PRE_COMMITTED) {
                    armTimeout(node, xid, Math.max(now + 1, node.changedAt.get(xid) + PARTICIPANT_TIMEOUT));
                }
            });
        }
    }

    private void heal() {
        faulty = false;
        cutOff = null;
        cutWhenReserved = null;
        note("faults stop");
        if (!coordinatorUp) {
            restartCoordinator();
        }
        nodes.values().forEach(this::restart);
    }

    // the checks

    private void checkOutcomes() {
        if (saga) {
            checkSaga();
            return;
        }
        for (Map.Entry<String, List<String>> w : workload.entrySet()) {
            String xid = w.getKey();
            boolean committed = false;
            boolean aborted = false;
            for (String p : w.getValue()) {
                BranchState s = nodes.get(p).states.get(xid);
                committed |= s == BranchState.COMMITTED;
                aborted |= s == BranchState.ABORTED;
            }
            TxLog t = log.get(xid);
            Decision d = t == null || t.decision == null ? null : t.decision.decision();
            String broken = committed && aborted ? "a mixed outcome: a branch COMMITTED and another ABORTED"
                    : d == Decision.ABORT && committed ? "a branch COMMITTED although the decision is ABORT"
                    : d == Decision.COMMIT && aborted ? "a branch ABORTED although the decision is COMMIT"
                    : committed && d == null && !threePhase ? "a branch COMMITTED before any decision was logged"
                    : null;
            if (broken == null) {
                continue;
            }
            if (threePhase && partitioned) {
                if (!anomaly) {
                    anomaly = true;
                    note("3PC anomaly under a partition in %s: %s", xid, broken);
                }
                continue;
            }
            fail(xid + ": " + broken);
        }
    }

    /**
     * A saga has no isolation and is mixed while it runs; what must hold: a step applies only after every step before
     * it did (it may have been compensated since), nothing is compensated unless ABORT was logged, and a logged
     * COMMIT means every step applied and none was refused or compensated. A locked step holds its effect pending
     * (PREPARED) until COMMIT is logged and it is confirmed, or it is cancelled (ABORTED).
     */
    private void checkSaga() {
        for (Map.Entry<String, List<String>> w : workload.entrySet()) {
            String xid = w.getKey();
            TxLog t = log.get(xid);
            Decision d = t == null || t.decision == null ? null : t.decision.decision();
            List<String> steps = w.getValue();
            Set<String> locked = locks.get(xid);
            for (int k = 0; k < steps.size(); k++) {
                boolean lockedStep = locked.contains(steps.get(k));
                BranchState s = nodes.get(steps.get(k)).states.get(xid);
                if (s == BranchState.COMPENSATED && d != Decision.ABORT) {
                    fail(xid + ": " + steps.get(k) + " COMPENSATED although the log holds no ABORT");
                }
                if (d == Decision.COMMIT && s != BranchState.COMMITTED && s != null
                        && !(lockedStep && s == BranchState.PREPARED)) {
                    fail(xid + ": the log holds COMMIT but " + steps.get(k) + " is " + s);
                }
                if (lockedStep && s == BranchState.COMMITTED && d != Decision.COMMIT) {
                    fail(xid + ": " + steps.get(k) + "'s pending effect was confirmed although the log holds no COMMIT");
                }
                if (s == BranchState.COMMITTED || lockedStep && s == BranchState.PREPARED) {
                    for (int j = 0; j < k; j++) {
                        BranchState before = nodes.get(steps.get(j)).states.get(xid);
                        boolean tried = locked.contains(steps.get(j)) && before != null;
                        if (before != BranchState.COMMITTED && before != BranchState.COMPENSATED && !tried) {
                            fail(xid + ": step " + steps.get(k) + " applied while the earlier step " + steps.get(j)
                                    + " is " + before);
                        }
                    }
                }
            }
        }
    }

    private void checkTerminated() {
        for (Map.Entry<String, List<String>> w : workload.entrySet()) {
            String xid = w.getKey();
            TxLog t = log.get(xid);
            boolean sagaAborted = saga && t != null && t.decision != null && t.decision.decision() == Decision.ABORT;
            for (String p : w.getValue()) {
                BranchState s = nodes.get(p).states.get(xid);
                if (sagaAborted && s == BranchState.COMMITTED) {
                    fail(xid + ": the saga ended ABORT but " + p + "'s step is still applied (not compensated)");
                }
                if (sagaAborted && s == null) {
                    continue; // a step never sent needs no compensation
                }
                if (s == null || !s.isFinal()) {
                    fail(xid + " did not terminate after the faults stopped: " + p + " is " + s);
                }
            }
            if (anomaly) {
                continue; // a refused COMMIT or ABORT stops delivery: the coordinator may never end it
            }
            if (t == null || t.decision == null || !t.end) {
                fail(xid + " did not terminate after the faults stopped: the log holds "
                        + (t == null ? "nothing" : "decision " + (t.decision == null ? "none" : t.decision.decision())
                        + (t.end ? ", END" : ", no END")));
            }
            if (!answers.containsKey(xid)) {
                fail(xid + " ended without an answer to the client");
            }
        }
    }

    // scheduling and reporting

    private void at(long when, Runnable action) {
        queue.add(new Event(when, seq++, action));
    }

    private void note(String format, Object... args) {
        if (tracing) {
            trace.addLast(String.format("%6d ms  ", now) + String.format(format, args));
            if (trace.size() > 400) {
                trace.removeFirst();
            }
        }
    }

    private void fail(String what) {
        throw new AssertionError(protocol.label() + " seed " + seed + " at " + now + " ms: " + what
                + (tracing ? "\nlast events:\n" + String.join("\n", trace) : ""));
    }

    /** The last events noted, when tracing. */
    String trace() {
        return String.join("\n", trace);
    }

    boolean partitioned() {
        return partitioned;
    }

    boolean anomaly() {
        return anomaly;
    }

    long events() {
        return events;
    }

    long messages() {
        return messages;
    }

    int transactions() {
        return workload.size();
    }

    /** Messages of a deposed coordinator that a participant's fence refused. */
    long fenced() {
        return fenced;
    }

    int coordinatorCrashes() {
        return coordinatorCrashes;
    }

    int participantCrashes() {
        return participantCrashes;
    }

    /** How long after the faults stopped the last END was logged (0 if all ended before). */
    long finishedAfterHealing() {
        return Math.max(0, lastEnd - faultsEnd);
    }

    long decisions(Decision d) {
        return log.values().stream().filter(t -> t.decision != null && t.decision.decision() == d).count();
    }
}
