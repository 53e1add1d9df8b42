package io.dtxlab.core.paxos;

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
 * A whole Paxos group on one thread under simulated time (the VOPR idea): one seeded {@link Random} decides every
 * delay, loss, duplicate, partition, crash, stall, clock rate and client request, so a seed replays exactly.
 *
 * <p>Time is "true" simulated milliseconds; each node reads its own clock, {@code offset + floor(t * rate)}, with a
 * rate within the drift the configuration allows for. Each node is driven like the coordinator's adapter drives it:
 * ticks only at {@link PaxosNode#nextDeadline()} (some runs add early ticks), and every {@link Ready} through a
 * {@link PersistPipeline} whose writer takes a random disk latency, so heartbeats overtake queued writes and writes
 * are merged. A crash drops the node, its pipeline and the batch on its disk, and keeps its storage. CPU starvation
 * stalls a node: its ticks, messages and disk completions wait until the stall ends. {@link Invariants} checks safety
 * after every event; {@link #run()} then heals everything and checks liveness.
 */
final class Simulation {

    /**
     * How hostile the run is; everything else comes from the seed.
     *
     * @param calm no crashes, partitions, losses or stuck messages, and stalls shorter than the timing absorbs (one
     *        node at a time): once a leader is in power it must stay there for the whole run, so a spurious election
     *        (any ballot above the incumbent's, or the incumbent stepping down) fails the run
     */
    record Faults(long chaosMillis, long livenessBoundMillis, boolean crashes, boolean partitions, boolean calm) {

        static Faults standard() {
            return new Faults(6_000, 5_000, true, true, false);
        }

        static Faults calmRun() {
            return new Faults(6_000, 5_000, false, false, true);
        }
    }

    static final long EXTRA_TICK_MILLIS = 20;
    private static final int[] BATCHES = {1, 3, 256, 256};

    private final long seed;
    private final int size;
    private final Faults faults;
    private final Random random;
    private final PaxosConfig template;
    private final List<String> ids = new ArrayList<>();
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Invariants invariants;
    private final Trace trace = new Trace(Integer.getInteger("paxos.trace", 40));
    private final Set<String> cut = new HashSet<>(); // "a>b" pairs that cannot talk
    private final double loss;
    private final double duplication;
    private final long maxDelay;
    private final double maxRateSkew;
    private final long maxDiskLatency;
    private final long maxStarvation;
    private final boolean extraTicks;
    private long t;
    private long seq;
    private long events;
    private int proposed;
    private boolean healed;
    private Tracked tracked;
    private long leaderAfterHeal = -1;
    private Ballot incumbent; // calm runs: the ballot of the leader in power
    private String incumbentNode;
    private long settledAt = Long.MAX_VALUE;
    private long stalls;
    private long batches;
    private long batchedSteps;
    /** Slots kept below the applied point when compacting; negative: this run never compacts. */
    private final long retain;
    private final long compactStep;
    private long snapshotsSent;
    private long snapshotsInstalled;
    private long restarts;
    private long replayedOnRestart;
    private long appliedAtRestart;
    private long chosenNotices;
    private long acceptsWithValues;

    private record Event(long time, long seq, Object what) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    private record Deliver(PaxosMessage message) {
    }

    /** The tick the node asked for ({@link PaxosNode#nextDeadline()}); a later request replaces it. */
    private record Tick(String node, int incarnation, long id) {
    }

    /** A tick the adapter did not need to make. */
    private record ExtraTick(String node, int incarnation) {
    }

    /** The node's disk finished writing the batch it took; then it sends and applies. */
    private record WriteDone(String node, int incarnation, PersistPipeline.Batch batch) {
    }

    /** The node gets no CPU for that long: everything addressed to it waits. */
    private record Stall(String node, long millis) {
    }

    private record ClientRequest() {
    }

    /**
     * {@code node} null: whoever leads then; {@code quick}: back within 120 ms, inside any lease it granted;
     * {@code longDown}: back only after 2 to 4 s, when the others have compacted what it missed.
     */
    private record Crash(String node, boolean quick, boolean longDown) {

        Crash(String node, boolean quick) {
            this(node, quick, false);
        }
    }

    private record Restart(String node) {
    }

    private record Partition(Set<String> side) {
    }

    private record LinkCut(String other) {
    }

    private record Heal() {
    }

    private record EndOfChaos() {
    }

    private record Tracked(long slot, String payload) {
    }

    final class Member {
        final String id;
        final double rate;
        final long offset;
        final PaxosStorage storage;
        final Random nodeRandom;
        /** The application's durable state: the value applied at each slot from 1 on (it survives crashes). */
        List<Value> state = new ArrayList<>();
        PaxosNode node;
        PersistPipeline pipeline;
        int incarnation;
        long tickId;
        long tickAt = Long.MAX_VALUE;
        long stalledUntil;

        Member(String id, double rate, long offset, PaxosStorage storage, Random nodeRandom) {
            this.id = id;
            this.rate = rate;
            this.offset = offset;
            this.storage = storage;
            this.nodeRandom = nodeRandom;
        }

        long clock() {
            return offset + (long) Math.floor(t * rate);
        }

        /** The first true time at which this node's clock reads at least {@code c}. */
        long trueTimeOf(long c) {
            long guess = (long) Math.ceil((c - offset) / rate);
            while (offset + (long) Math.floor(guess * rate) < c) {
                guess++;
            }
            while (guess > 0 && offset + (long) Math.floor((guess - 1) * rate) >= c) {
                guess--;
            }
            return guess;
        }

        boolean up() {
            return node != null;
        }
    }

    Simulation(long seed, int size, Faults faults) {
        this.seed = seed;
        this.size = size;
        this.faults = faults;
        this.random = new Random(scramble(seed)); // neighbouring seeds of java.util.Random start alike
        for (int i = 1; i <= size; i++) {
            ids.add("n" + i);
        }
        // a quarter of the runs use 3.3 times shorter timeouts; small batches exercise the split accepts and catch-ups
        PaxosConfig any = PaxosConfig.defaults(ids.get(0), ids).withMaxBatch(BATCHES[random.nextInt(BATCHES.length)]);
        PaxosConfig timed = switch (random.nextInt(8)) {
            case 0, 1 -> any.withTiming(300, 60, 300, 15); // 2.3 times shorter than the defaults
            case 2 -> any.withTiming(1000, 100, 800, 50); // a lease shorter than the election timeout
            default -> any;
        };
        // followers learn from accepts: at once, after the default delay, or only as late as the heartbeat
        this.template = switch (random.nextInt(4)) {
            case 0 -> timed.withLearnDelay(1);
            case 1 -> timed.withLearnDelay(timed.heartbeatInterval());
            default -> timed;
        };
        this.invariants = new Invariants(any.majority());
        // the drift the configuration allows: leader lease (D - drift) / slowest <= D / fastest
        double bound = (double) template.maxClockDrift() / (2 * template.leaseDuration() - template.maxClockDrift());
        this.maxRateSkew = bound * 0.95;
        this.loss = faults.calm() || random.nextInt(4) == 0 ? 0 : random.nextDouble() * 0.3;
        this.duplication = random.nextDouble() * 0.1;
        this.maxDelay = 2 + random.nextInt(faults.calm() ? 30 : 60);
        this.maxDiskLatency = random.nextInt(3) == 0 ? 1 : 1 + random.nextInt(faults.calm() ? 20 : 60);
        this.extraTicks = random.nextInt(4) == 0;
        this.retain = switch (random.nextInt(4)) {
            case 0 -> -1; // no compaction: the log stays whole
            case 1 -> 0;
            case 2 -> 3;
            default -> 20;
        };
        this.compactStep = 1 + random.nextInt(16);
        // calm runs: a stalled node must still be heard within the election timeout, one stall at a time
        long absorbable = template.electionTimeout() - template.heartbeatInterval() - 3 * maxDelay
                - 2 * maxDiskLatency - 20;
        this.maxStarvation = faults.calm() ? Math.max(0, absorbable) : 3_000;
        for (String id : ids) {
            double skew = switch (random.nextInt(3)) {
                case 0 -> maxRateSkew;
                case 1 -> -maxRateSkew;
                default -> (random.nextDouble() * 2 - 1) * maxRateSkew;
            };
            PaxosStorage storage = invariants.storageOf(id, new InMemoryPaxosStorage());
            members.put(id, new Member(id, 1 + skew, random.nextInt(2_000_000) - 1_000_000, storage,
                    new Random(random.nextLong()))); // clocks have unrelated origins, negative ones too
        }
    }

    /** Runs the chaos phase, heals, and requires a leader and a newly chosen value within the liveness bound. */
    void run() {
        for (String id : ids) {
            start(members.get(id));
        }
        schedule(random.nextInt(50), new ClientRequest());
        planFaults();
        schedule(faults.chaosMillis(), new EndOfChaos());
        long deadline = faults.chaosMillis() + faults.livenessBoundMillis();
        try {
            while (!queue.isEmpty()) {
                Event e = queue.poll();
                t = e.time();
                if (t > deadline) {
                    throw new AssertionError("no progress within " + faults.livenessBoundMillis()
                            + " ms after the faults healed: " + describeNodes());
                }
                events++;
                if (!(e.what() instanceof Tick) && !(e.what() instanceof ExtraTick)) {
                    trace.add(t, e.what()); // ticks are traced only when they do something
                }
                handle(e.what());
                checkLeases();
                if (faults.calm()) {
                    checkIncumbent();
                }
                if (healed && livenessReached()) {
                    for (Member m : members.values()) {
                        invariants.sameState(m.id, m.state);
                    }
                    return;
                }
            }
            throw new AssertionError("the event queue ran dry");
        } catch (AssertionError | RuntimeException failure) {
            throw new AssertionError("seed " + seed + " (" + size + " nodes, " + (faults.calm() ? "calm" : "chaos")
                    + ", loss " + pct(loss) + ", duplication " + pct(duplication) + ", max delay " + maxDelay
                    + " ms, disk up to " + maxDiskLatency + " ms, stalls up to " + maxStarvation
                    + " ms, election timeout " + template.electionTimeout() + " ms, heartbeat "
                    + template.heartbeatInterval() + " ms, lease " + template.leaseDuration() + " ms, learn delay "
                    + template.learnDelay() + " ms, batches of "
                    + template.maxBatch() + (extraTicks ? ", extra ticks" : "")
                    + (retain < 0 ? ", no compaction" : ", compaction keeps " + retain + " slots, every " + compactStep)
                    + ") failed at t=" + t + " ms: "
                    + failure.getMessage() + "\n  nodes: " + describeNodes() + "\n  last events:\n" + trace,
                    failure);
        }
    }

    long events() {
        return events;
    }

    /** Simulated milliseconds from the end of the faults to the first valid lease. */
    long leaderAfterHeal() {
        return leaderAfterHeal;
    }

    /** Simulated milliseconds from the end of the faults until a new value was chosen and applied everywhere. */
    long progressAfterHeal() {
        return t - faults.chaosMillis();
    }

    long stalls() {
        return stalls;
    }

    /** Disk batches written, and the node steps they held (their ratio: how much group commit merged). */
    long batches() {
        return batches;
    }

    long batchedSteps() {
        return batchedSteps;
    }

    long snapshotsSent() {
        return snapshotsSent;
    }

    long snapshotsInstalled() {
        return snapshotsInstalled;
    }

    /** Restarts, the slots their first step handed out again, and the slots their applications already held. */
    long restarts() {
        return restarts;
    }

    long replayedOnRestart() {
        return replayedOnRestart;
    }

    long appliedAtRestart() {
        return appliedAtRestart;
    }

    /** Chosen notices sent (only catch-ups: followers learn from accepts), and accepts with values sent. */
    long chosenNotices() {
        return chosenNotices;
    }

    long acceptsWithValues() {
        return acceptsWithValues;
    }

    // ---------------------------------------------------------------- events

    private String target(Object what) {
        if (what instanceof Deliver d) {
            return d.message().to();
        } else if (what instanceof Tick tick) {
            return tick.node();
        } else if (what instanceof ExtraTick tick) {
            return tick.node();
        } else if (what instanceof WriteDone w) {
            return w.node();
        }
        return null;
    }

    private void handle(Object what) {
        String target = target(what);
        if (target != null && t < members.get(target).stalledUntil) {
            // the node has no CPU: this waits until the stall ends, and then its threads race (any order)
            queue.add(new Event(members.get(target).stalledUntil + random.nextInt(8), seq++, what));
            return;
        }
        if (what instanceof Deliver d) {
            deliver(d.message());
        } else if (what instanceof Tick tick) {
            Member m = members.get(tick.node());
            if (m.up() && m.incarnation == tick.incarnation() && m.tickId == tick.id()) {
                m.tickAt = Long.MAX_VALUE;
                tickNow(m, tick);
            }
        } else if (what instanceof ExtraTick tick) {
            Member m = members.get(tick.node());
            if (m.up() && m.incarnation == tick.incarnation()) {
                tickNow(m, tick);
                schedule(EXTRA_TICK_MILLIS - 5 + random.nextInt(11), tick);
            }
        } else if (what instanceof WriteDone w) {
            Member m = members.get(w.node());
            if (m.up() && m.incarnation == w.incarnation()) {
                written(m, w.batch());
            }
        } else if (what instanceof Stall stall) {
            Member m = members.get(stall.node());
            // calm runs: a follower may stall for long (the others still hear the leader), the leader only briefly
            long millis = faults.calm() && m.up() && m.node.role() != Role.FOLLOWER
                    ? Math.min(stall.millis(), maxStarvation) : stall.millis();
            m.stalledUntil = Math.max(m.stalledUntil, t + millis);
            stalls++;
        } else if (what instanceof ClientRequest) {
            clientRequest();
            schedule(5 + random.nextInt(healed ? 40 : 80), what);
        } else if (what instanceof Crash c) {
            Member m = members.get(c.node() != null ? c.node() : leaderOrAnyone());
            if (m.up() && !healed) {
                m.node = null;
                m.pipeline = null; // and the batch on its disk, unwritten
                m.incarnation++;
                schedule(c.quick() ? 20 + random.nextInt(100)
                        : c.longDown() ? 2_000 + random.nextInt(2_000) : 50 + random.nextInt(1500), new Restart(m.id));
            }
        } else if (what instanceof Restart r) {
            Member m = members.get(r.node());
            if (!m.up()) {
                start(m);
            }
        } else if (what instanceof Partition p) {
            Set<String> side = p.side() != null ? p.side() : Set.of(leaderOrAnyone());
            cut.clear();
            for (String a : ids) {
                for (String b : ids) {
                    if (side.contains(a) != side.contains(b)) {
                        cut.add(a + ">" + b);
                    }
                }
            }
        } else if (what instanceof LinkCut c) {
            String leader = leaderOrAnyone();
            if (!leader.equals(c.other())) {
                cut.add(leader + ">" + c.other());
                cut.add(c.other() + ">" + leader);
                if (random.nextBoolean()) {
                    // and a node that still hears the leader crashes and is back at once: it must not promise the
                    // cut-off node while the lease it granted (and forgot) may still run
                    String bystander = ids.get(random.nextInt(size));
                    if (!bystander.equals(leader) && !bystander.equals(c.other())) {
                        schedule(800 + random.nextInt(600), new Crash(bystander, true)); // about when the cut-off times out
                    }
                }
            }
        } else if (what instanceof Heal) {
            cut.clear();
        } else if (what instanceof EndOfChaos) {
            healed = true;
            cut.clear();
            for (Member m : members.values()) {
                m.stalledUntil = Math.min(m.stalledUntil, t);
                if (!m.up()) {
                    start(m);
                }
            }
        }
    }

    private void tickNow(Member m, Object tick) {
        Ready ready = m.node.tick(m.clock());
        if (!ready.isEmpty()) {
            trace.add(t, tick);
        }
        apply(m, ready);
    }

    private void planFaults() {
        long chaos = faults.chaosMillis();
        if (faults.crashes()) {
            int crashes = random.nextInt((int) (chaos / 600) + 1);
            for (int i = 0; i < crashes; i++) {
                // half of the crashes hit whoever leads at that moment (the nemesis); the victim is picked then
                String victim = random.nextBoolean() ? null : ids.get(random.nextInt(size));
                schedule(random.nextInt((int) chaos), new Crash(victim, false));
            }
            if (random.nextInt(3) == 0) {
                // a node away long enough for the others to compact what it misses: it must catch up by snapshot
                schedule(random.nextInt((int) chaos / 3), new Crash(ids.get(random.nextInt(size)), false, true));
            }
        }
        if (faults.partitions()) {
            int partitions = random.nextInt((int) (chaos / 1000) + 1);
            for (int i = 0; i < partitions; i++) {
                long at = random.nextInt((int) chaos);
                if (random.nextInt(3) == 0) {
                    // one broken link, from the leader of the moment: the others still hear both ends
                    schedule(at, new LinkCut(ids.get(random.nextInt(size))));
                    schedule(at + 100 + random.nextInt(3000), new Heal());
                    continue;
                }
                // half of the partitions cut off whoever leads at that moment, while it still believes it leads
                Set<String> side = random.nextBoolean() ? null : new HashSet<>();
                for (String id : ids) {
                    if (side != null && random.nextBoolean()) {
                        side.add(id);
                    }
                }
                schedule(at, new Partition(side));
                schedule(at + 100 + random.nextInt(3000), new Heal());
            }
        }
        if (maxStarvation > 0 && random.nextInt(4) != 0) {
            if (faults.calm()) {
                // bursts on one node at a time, each followed by an election timeout of normal service
                long at = random.nextInt(1000);
                while (at < chaos) {
                    long length = 1 + random.nextInt((int) (random.nextBoolean() ? maxStarvation : 3_000));
                    schedule(at, new Stall(ids.get(random.nextInt(size)), length));
                    at += length + template.electionTimeout() * 2 + random.nextInt(1000);
                }
            } else {
                int stallCount = random.nextInt((int) (chaos / 500) + 1);
                for (int i = 0; i < stallCount; i++) {
                    long at = random.nextInt((int) chaos);
                    long length = 1 + random.nextInt((int) Math.min(maxStarvation, chaos - at));
                    schedule(at, new Stall(ids.get(random.nextInt(size)), length));
                }
            }
        }
    }

    private String leaderOrAnyone() {
        for (Member m : members.values()) {
            if (m.up() && m.node.role() == Role.LEADER) {
                return m.id;
            }
        }
        return ids.get(random.nextInt(size));
    }

    private void start(Member m) {
        m.incarnation++;
        PaxosConfig config = new PaxosConfig(m.id, ids, template.electionTimeout(), template.heartbeatInterval(),
                template.leaseDuration(), template.maxClockDrift(), template.maxBatch(), template.learnDelay());
        m.node = PaxosNode.recover(config, m.storage, m.nodeRandom, m.clock(), m.state.size());
        m.pipeline = new PersistPipeline(m.storage.promised(), template.maxBatch());
        m.tickAt = Long.MAX_VALUE;
        invariants.restarted(m.id, m.state.size());
        Ready first = m.node.tick(m.clock()); // the adapter's first call: hands out the log after the applied point
        restarts++;
        replayedOnRestart += first.chosen().size();
        appliedAtRestart += m.state.size();
        apply(m, first);
        if (extraTicks) {
            schedule(random.nextInt((int) EXTRA_TICK_MILLIS), new ExtraTick(m.id, m.incarnation));
        }
    }

    private void deliver(PaxosMessage message) {
        Member to = members.get(message.to());
        if (!to.up() || cut.contains(message.from() + ">" + message.to())) {
            return;
        }
        if (message instanceof PaxosMessage.InstallSnapshot snapshot) {
            // the adapter's order: the application installs the snapshot durably, then the node skips ahead
            if (snapshot.lastSlot() > to.state.size()) {
                List<Value> state = decode(snapshot.snapshot());
                invariants.installed(to.id, state);
                to.state = state;
                snapshotsInstalled++;
                apply(to, to.node.snapshotInstalled(snapshot.lastSlot(), to.clock()));
            }
            return;
        }
        apply(to, to.node.step(message, to.clock()));
    }

    private static String encode(List<Value> state) {
        StringBuilder sb = new StringBuilder();
        for (Value v : state) {
            sb.append(sb.isEmpty() ? "" : ",").append(v.isNoop() ? "-" : v.payload());
        }
        return sb.toString();
    }

    private static List<Value> decode(String snapshot) {
        List<Value> state = new ArrayList<>();
        for (String p : snapshot.split(",")) {
            state.add(p.equals("-") ? Value.NOOP : Value.of(p));
        }
        return state;
    }

    private void clientRequest() {
        List<Member> up = members.values().stream().filter(m -> m.up() && t >= m.stalledUntil).toList();
        if (up.isEmpty()) {
            return;
        }
        Member target = up.get(random.nextInt(up.size()));
        for (int hop = 0; hop < 2 && target != null; hop++) {
            int count = 1 + random.nextInt(3);
            List<String> payloads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                payloads.add("v" + (++proposed));
            }
            Proposal p = target.node.propose(payloads, target.clock());
            apply(target, p.ready());
            if (p.accepted()) {
                if (healed && tracked == null) {
                    tracked = new Tracked(p.slots().get(0), payloads.get(0));
                }
                return;
            }
            Member hinted = p.leaderHint() == null ? null : members.get(p.leaderHint());
            target = hinted != null && hinted.up() && t >= hinted.stalledUntil ? hinted : null;
        }
    }

    /** The adapter's order, pipelined: what may overtake leaves now; the rest after its batch is written. */
    private void apply(Member m, Ready ready) {
        PersistPipeline.Offer offer = m.pipeline.offer(ready, null);
        offer.now().forEach(this::transmit);
        for (String peer : offer.snapshotsTo()) {
            if (!m.state.isEmpty()) {
                snapshotsSent++;
                transmit(new PaxosMessage.InstallSnapshot(m.id, peer, m.state.size(), encode(m.state)));
            }
        }
        startWrite(m);
        scheduleTick(m);
    }

    private void startWrite(Member m) {
        if (m.pipeline.hasBatch()) {
            PersistPipeline.Batch batch = m.pipeline.next();
            schedule(random.nextInt((int) maxDiskLatency + 1), new WriteDone(m.id, m.incarnation, batch));
        }
    }

    private void written(Member m, PersistPipeline.Batch batch) {
        m.storage.write(batch.write());
        batches++;
        batchedSteps += batch.steps();
        m.pipeline.written(batch);
        batch.messages().forEach(this::transmit);
        // the application applies in its own transaction what it does not hold yet (a snapshot may have overtaken)
        List<SlotValue> fresh = batch.chosen().stream().filter(v -> v.slot() > m.state.size()).toList();
        invariants.applied(m.id, fresh);
        fresh.forEach(v -> m.state.add(v.value()));
        if (retain >= 0 && m.state.size() - retain >= m.node.compactedThrough() + compactStep) {
            apply(m, m.node.compact(m.state.size() - retain, m.clock()));
        }
        startWrite(m);
    }

    /** Asks for a tick at the node's next deadline, unless one is already due earlier. */
    private void scheduleTick(Member m) {
        long at = Math.max(t + 1, m.trueTimeOf(m.node.nextDeadline()));
        if (at < m.tickAt) {
            m.tickAt = at;
            m.tickId++;
            queue.add(new Event(at, seq++, new Tick(m.id, m.incarnation, m.tickId)));
        }
    }

    private void transmit(PaxosMessage message) {
        if (message instanceof PaxosMessage.Chosen) {
            chosenNotices++;
        } else if (message instanceof PaxosMessage.Accept a && !a.isHeartbeat()) {
            acceptsWithValues++;
        }
        if (cut.contains(message.from() + ">" + message.to())) {
            return;
        }
        if (!healed && random.nextDouble() < loss) {
            return;
        }
        if (!healed && !faults.calm() && random.nextInt(30) == 0) {
            // a message stuck on a slow path: it arrives long after its sender moved on
            schedule(1 + random.nextInt(3000), new Deliver(message));
            return;
        }
        schedule(1 + random.nextInt((int) (healed ? 10 : maxDelay)), new Deliver(message));
        if (!healed && random.nextDouble() < duplication) {
            schedule(1 + random.nextInt((int) maxDelay * 3), new Deliver(message));
        }
    }

    private void schedule(long delay, Object what) {
        queue.add(new Event(t + delay, seq++, what));
    }

    // ---------------------------------------------------------------- checks

    /**
     * Calm runs: the first leader in power (a valid lease, and two election timeouts for the start-up's messages to
     * die out) stays leader, and nobody raises a ballot above its own, for the rest of the run.
     */
    private void checkIncumbent() {
        if (incumbent == null) {
            for (Member m : members.values()) {
                if (m.up() && m.node.isLeader(m.clock())) {
                    incumbent = m.node.status(m.clock()).ballot();
                    incumbentNode = m.id;
                    settledAt = t + 2 * template.electionTimeout();
                }
            }
            return;
        }
        if (t < settledAt) {
            if (members.get(incumbentNode).node.role() != Role.LEADER) {
                incumbent = null; // the start-up race was still going on: wait for the winner
                settledAt = Long.MAX_VALUE;
            }
            return;
        }
        for (Member m : members.values()) {
            PaxosStatus s = m.node.status(m.clock());
            if (s.promised().isHigherThan(incumbent)) {
                throw new AssertionError("spurious election: " + m.id + " promised " + s.promised() + " while "
                        + incumbentNode + " led with " + incumbent);
            }
        }
        if (members.get(incumbentNode).node.role() != Role.LEADER) {
            throw new AssertionError("spurious step-down: " + incumbentNode + " (ballot " + incumbent
                    + ") no longer leads");
        }
    }

    /** At most one node holds a valid lease at this true time, each judging by its own drifting clock. */
    private void checkLeases() {
        String holder = null;
        try {
            holder = leaseHolder();
        } finally {
            if (healed && holder != null && leaderAfterHeal < 0) {
                leaderAfterHeal = t - faults.chaosMillis();
            }
        }
    }

    private String leaseHolder() {
        String holder = null;
        for (String id : ids) {
            Member m = members.get(id);
            if (m.up() && m.node.isLeader(m.clock())) {
                if (holder != null) {
                    throw new AssertionError("two leaders hold a valid lease at once: " + holder + " and " + id);
                }
                holder = id;
            }
        }
        return holder;
    }

    /** A leader exists and a value proposed after the faults healed is chosen and applied everywhere. */
    private boolean livenessReached() {
        if (tracked == null) {
            return false;
        }
        for (Member m : members.values()) {
            if (m.state.size() < tracked.slot()) {
                return false;
            }
            if (!tracked.payload().equals(m.state.get((int) tracked.slot() - 1).payload())) {
                tracked = null; // overwritten by a new leader's no-op or re-proposal: wait for the next one
                return false;
            }
        }
        return true;
    }

    private String describeNodes() {
        StringBuilder sb = new StringBuilder();
        for (String id : ids) {
            Member m = members.get(id);
            sb.append(sb.isEmpty() ? "" : "; ");
            if (!m.up()) {
                sb.append(id).append(" down");
            } else {
                PaxosStatus s = m.node.status(m.clock());
                sb.append(id).append(' ').append(s.role()).append(" promised ").append(s.promised())
                        .append(" leader ").append(s.leader()).append(" lease ").append(s.leaseValid())
                        .append(" firstUnchosen ").append(s.firstUnchosen()).append(" compacted ")
                        .append(s.compactedThrough()).append(" applied ").append(m.state.size());
            }
        }
        return sb.toString();
    }

    /** SplitMix64's finaliser. */
    private static long scramble(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String pct(double p) {
        return Math.round(p * 100) + "%";
    }

    /** The last events, formatted only when a run fails. */
    static final class Trace {
        private final int capacity;
        private final ArrayDeque<Object[]> entries = new ArrayDeque<>();

        Trace(int capacity) {
            this.capacity = capacity;
        }

        void add(long time, Object what) {
            if (entries.size() == capacity) {
                entries.poll();
            }
            entries.add(new Object[] {time, what});
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            for (Object[] e : entries) {
                sb.append("    t=").append(e[0]).append(' ').append(e[1]).append('\n');
            }
            return sb.toString();
        }
    }
}
