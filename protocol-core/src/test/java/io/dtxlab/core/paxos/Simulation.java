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
 * delay, loss, duplicate, partition, crash, clock rate and client request, so a seed replays exactly.
 *
 * <p>Time is "true" simulated milliseconds; each node reads its own clock, {@code offset + floor(t * rate)}, with a
 * rate within the drift the configuration allows for. A crash drops the {@link PaxosNode} and keeps its storage.
 * {@link Invariants} checks safety after every event; {@link #run()} then heals everything and checks liveness.
 */
final class Simulation {

    /** How hostile the run is; everything else comes from the seed. */
    record Faults(long chaosMillis, long livenessBoundMillis, boolean crashes, boolean partitions) {

        static Faults standard() {
            return new Faults(6_000, 5_000, true, true);
        }
    }

    static final long TICK_MILLIS = 20;
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
    private final Trace trace = new Trace(40);
    private final Set<String> cut = new HashSet<>(); // "a>b" pairs that cannot talk
    private final double loss;
    private final double duplication;
    private final long maxDelay;
    private final double maxRateSkew;
    private long t;
    private long seq;
    private long events;
    private int proposed;
    private boolean healed;
    private Tracked tracked;
    private long leaderAfterHeal = -1;

    private record Event(long time, long seq, Object what) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    private record Deliver(PaxosMessage message) {
    }

    private record Tick(String node, int incarnation) {
    }

    private record ClientRequest() {
    }

    /** {@code node} null: whoever leads then; {@code quick}: back within 120 ms, inside any lease it granted. */
    private record Crash(String node, boolean quick) {
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
        PaxosNode node;
        int incarnation;

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
        this.template = random.nextInt(4) == 0 ? any.withTiming(300, 30, 240, 15) : any;
        this.invariants = new Invariants(any.majority());
        // the drift the configuration allows: leader lease (D - drift) / slowest <= D / fastest
        double bound = (double) template.maxClockDrift() / (2 * template.leaseDuration() - template.maxClockDrift());
        this.maxRateSkew = bound * 0.95;
        this.loss = random.nextInt(4) == 0 ? 0 : random.nextDouble() * 0.3;
        this.duplication = random.nextDouble() * 0.1;
        this.maxDelay = 2 + random.nextInt(60);
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
                if (!(e.what() instanceof Tick)) {
                    trace.add(t, e.what()); // ticks are traced only when they do something
                }
                handle(e.what());
                checkLeases();
                if (healed && livenessReached()) {
                    return;
                }
            }
            throw new AssertionError("the event queue ran dry");
        } catch (AssertionError | RuntimeException failure) {
            throw new AssertionError("seed " + seed + " (" + size + " nodes, loss " + pct(loss) + ", duplication "
                    + pct(duplication) + ", max delay " + maxDelay + " ms, election timeout "
                    + template.electionTimeout() + " ms, batches of " + template.maxBatch() + ") failed at t=" + t
                    + " ms: "
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

    // ---------------------------------------------------------------- events

    private void handle(Object what) {
        if (what instanceof Deliver d) {
            deliver(d.message());
        } else if (what instanceof Tick tick) {
            Member m = members.get(tick.node());
            if (m.up() && m.incarnation == tick.incarnation()) {
                Ready ready = m.node.tick(m.clock());
                if (!ready.isEmpty()) {
                    trace.add(t, tick);
                }
                apply(m, ready);
                schedule(TICK_MILLIS - 5 + random.nextInt(11), tick);
            }
        } else if (what instanceof ClientRequest) {
            clientRequest();
            schedule(5 + random.nextInt(healed ? 40 : 80), what);
        } else if (what instanceof Crash c) {
            Member m = members.get(c.node() != null ? c.node() : leaderOrAnyone());
            if (m.up() && !healed) {
                m.node = null;
                m.incarnation++;
                schedule(c.quick() ? 20 + random.nextInt(100) : 50 + random.nextInt(1500), new Restart(m.id));
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
                if (!m.up()) {
                    start(m);
                }
            }
        }
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
                template.leaseDuration(), template.maxClockDrift(), template.maxBatch());
        m.node = PaxosNode.recover(config, m.storage, m.nodeRandom, m.clock());
        invariants.restarted(m.id);
        schedule(random.nextInt((int) TICK_MILLIS), new Tick(m.id, m.incarnation));
    }

    private void deliver(PaxosMessage message) {
        Member to = members.get(message.to());
        if (!to.up() || cut.contains(message.from() + ">" + message.to())) {
            return;
        }
        apply(to, to.node.step(message, to.clock()));
    }

    private void clientRequest() {
        List<Member> up = members.values().stream().filter(Member::up).toList();
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
            target = hinted != null && hinted.up() ? hinted : null;
        }
    }

    /** The adapter's order: persist, then send, then apply. */
    private void apply(Member m, Ready ready) {
        List<SlotValue> chosen = ready.persist(m.storage).send(this::transmit);
        invariants.applied(m.id, chosen);
    }

    private void transmit(PaxosMessage message) {
        if (cut.contains(message.from() + ">" + message.to())) {
            return;
        }
        if (!healed && random.nextDouble() < loss) {
            return;
        }
        if (!healed && random.nextInt(30) == 0) {
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
            Value v = m.node.chosenAt(tracked.slot());
            if (v == null) {
                return false;
            }
            if (!tracked.payload().equals(v.payload())) {
                tracked = null; // overwritten by a new leader's no-op or re-proposal: wait for the next one
                return false;
            }
            if (!invariants.hasApplied(m.id, tracked.slot())) {
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
                        .append(" firstUnchosen ").append(s.firstUnchosen());
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
