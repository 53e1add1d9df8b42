package io.dtxlab.coordinator.consensus;

import io.dtxlab.platform.concurrent.DaemonThreads;
import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.core.paxos.PaxosConfig;
import io.dtxlab.core.paxos.PaxosMessage;
import io.dtxlab.core.paxos.PaxosNode;
import io.dtxlab.core.paxos.PaxosStatus;
import io.dtxlab.core.paxos.Proposal;
import io.dtxlab.core.paxos.Ready;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.platform.events.ClusterEventPublisher;
import io.dtxlab.platform.messaging.ClusterClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The edge around the pure {@link PaxosNode}: it owns the node behind one lock, feeds it timer ticks, peers'
 * messages and proposals, and handles every {@link Ready} in the fixed order: persist to H2, send over HTTP, apply
 * the chosen values (to the listeners, in slot order). The clock it passes is this JVM's monotonic clock.
 * <p>
 * Metrics: {@code dtx.paxos.messages{type}} (heartbeats excluded); the gauges {@code dtx.paxos.leading} (1 while
 * this node leads with a valid lease and a complete log, else 0) and {@code dtx.paxos.ballot} (the ballot, as one
 * number, of the leader this node knows of; 0 while it knows none); and the counter
 * {@code dtx.paxos.leader.changes}: each time the leader this node knows of becomes a different node or the same
 * node with a new ballot, this node counts one. Each node counts what it sees, once per change, so one failover
 * shows as one on each coordinator that noticed it; the first leader a node learns of after it starts counts too.
 * A lapse with no leader known in between is not a change.
 */
@Component
public class PaxosDriver implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PaxosDriver.class);

    /** A proposal waiting to be chosen, and the consensus messages its slot has cost so far. */
    private record Waiting(String payload, CompletableFuture<Chosen> chosen, long since, int[] messages) {
    }

    /** A proposal's outcome: chosen at {@code slot} (or lost it to another value), with its cost. */
    public record Chosen(long slot, boolean ours, int messages, long millis) {
    }

    private final ClusterClient client;
    private final H2PaxosStorage storage;
    private final ConsensusProperties properties;
    private final ObjectMapper json;
    private final ClusterEventPublisher events;
    private final MeterRegistry meters;
    private final PaxosConfig config;
    // fair: under a burst of proposals the timer's tick (heartbeats that keep the lease) still gets its turn
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private final List<Consumer<SlotValue>> appliers = new CopyOnWriteArrayList<>();
    private final List<Runnable> onLeadership = new CopyOnWriteArrayList<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    /** Runs the leadership actions (recovery proposes and waits): never on the timer thread that ticks the node. */
    private java.util.concurrent.ExecutorService leadershipActions;
    private PaxosNode node;
    private String knownLeader;
    private long knownEpoch;
    private long readyEpoch;
    /** {@link #knownEpoch} for the gauge, read outside the lock. */
    private volatile long ballotSeen;
    private final Counter leaderChanges;
    private volatile boolean running;

    PaxosDriver(ClusterClient client, H2PaxosStorage storage, ConsensusProperties properties, ObjectMapper json,
            ClusterEventPublisher events, MeterRegistry meters) {
        this.client = client;
        this.storage = storage;
        this.properties = properties;
        this.json = json;
        this.events = events;
        this.meters = meters;
        List<String> members = client.members().asMap().keySet().stream()
                .filter(id -> NodeRole.ofNodeId(id).filter(r -> r == NodeRole.COORDINATOR).isPresent())
                .sorted().toList();
        this.config = PaxosConfig.defaults(client.self(), members.isEmpty() ? List.of(client.self()) : members)
                .withTiming(properties.electionTimeout().toMillis(), properties.heartbeatInterval().toMillis(),
                        properties.leaseDuration().toMillis(), properties.maxClockDrift().toMillis());
        this.leaderChanges = Counter.builder("dtx.paxos.leader.changes")
                .description("Times the leader this coordinator knows of changed (another node, or a new ballot)")
                .register(meters);
        io.micrometer.core.instrument.Gauge.builder("dtx.paxos.leading", this, d -> d.leadsAndCaughtUp() ? 1 : 0)
                .description("1 while this coordinator leads (valid lease, complete log), else 0")
                .register(meters);
        io.micrometer.core.instrument.Gauge.builder("dtx.paxos.ballot", this, d -> d.ballotSeen)
                .description("The ballot, as one number (the epoch participants are fenced with), of the leader "
                        + "this coordinator knows of; 0 while it knows none")
                .register(meters);
    }

    /** Every chosen value, in slot order, without gaps, no-ops included; also the whole log again after a start. */
    public void onChosen(Consumer<SlotValue> applier) {
        appliers.add(applier);
    }

    /** Runs (on its own thread) each time this node becomes the leader and has applied every earlier slot. */
    public void onLeadership(Runnable action) {
        onLeadership.add(action);
    }

    public PaxosConfig config() {
        return config;
    }

    /** Proposes {@code payload}; the future completes when its slot is chosen (or refuses at once if not leader). */
    public CompletableFuture<Chosen> propose(String payload) {
        lock.lock();
        try {
            requireStarted();
            Proposal proposal = node.propose(payload, now());
            CompletableFuture<Chosen> chosen = new CompletableFuture<>();
            if (proposal.accepted()) {
                waiting.put(proposal.slots().get(0), new Waiting(payload, chosen, now(), new int[1]));
            } else {
                chosen.completeExceptionally(new NotLeaderException(proposal.leaderHint(), proposal.reason()));
            }
            handle(proposal.ready());
            return chosen;
        } finally {
            lock.unlock();
        }
    }

    void step(PaxosMessage message) {
        count(message, false);
        lock.lock();
        try {
            if (node != null) {
                handle(node.step(message, now()));
            }
        } finally {
            lock.unlock();
        }
    }

    public PaxosStatus status() {
        lock.lock();
        try {
            requireStarted();
            return node.status(now());
        } finally {
            lock.unlock();
        }
    }

    /** Leads with a valid lease and has applied every slot earlier leaders may have used. */
    public boolean leadsAndCaughtUp() {
        lock.lock();
        try {
            return node != null && node.caughtUp(now());
        } finally {
            lock.unlock();
        }
    }

    private void tick() {
        lock.lock();
        try {
            handle(node.tick(now()));
        } catch (RuntimeException e) {
            log.error("Paxos tick failed; recovering the node from its storage", e);
            node = PaxosNode.recover(config, storage, new SecureRandom(), now());
        } finally {
            lock.unlock();
        }
    }

    /** persist, then send, then apply: the order {@link Ready} enforces. Runs under the lock. */
    private void handle(Ready ready) {
        for (SlotValue chosen : ready.persist(storage).send(this::send)) {
            for (Consumer<SlotValue> applier : appliers) {
                applier.accept(chosen);
            }
            Waiting w = waiting.remove(chosen.slot());
            if (w != null) {
                boolean ours = w.payload().equals(chosen.value().payload());
                w.chosen().complete(new Chosen(chosen.slot(), ours, w.messages()[0], now() - w.since()));
            }
        }
        noticeLeadership();
    }

    private void noticeLeadership() {
        PaxosStatus status = node.status(now());
        if (status.leader() != null && (!status.leader().equals(knownLeader) || status.epoch() != knownEpoch)) {
            knownLeader = status.leader();
            knownEpoch = status.epoch();
            ballotSeen = knownEpoch;
            leaderChanges.increment();
            log.info("leader is now {} (ballot {}, epoch {})", status.leader(), status.ballot(), status.epoch());
            if (status.leader().equals(client.self())) {
                events.publish("LEADER_ELECTED", Map.of("leader", status.leader(), "ballot", status.ballot().toString(),
                        "epoch", status.epoch()));
            }
            // a deposed leader's proposals will never be chosen in its ballot: let their callers retry elsewhere
            if (!status.leader().equals(client.self())) {
                waiting.values().forEach(w -> w.chosen().completeExceptionally(
                        new NotLeaderException(status.leader(), "leadership moved to " + status.leader())));
                waiting.clear();
            }
        }
        if (status.caughtUp() && readyEpoch != status.epoch()) {
            readyEpoch = status.epoch();
            log.info("leading with epoch {} and caught up: finishing what earlier leaders left", status.epoch());
            onLeadership.forEach(action -> leadershipActions.execute(action));
        }
    }

    private void send(PaxosMessage message) {
        count(message, true);
        String to = message.to();
        String kind = "paxos-" + message.getClass().getSimpleName().toLowerCase();
        client.postAsync(to, kind, null, "/internal/paxos", PaxosEnvelope.of(message, json), Void.class,
                properties.messageTimeout()).exceptionally(e -> null); // lost: Paxos copes, and the log shows it
    }

    /** Attributes a message to the waiting proposals of the slots it carries, and counts it by type. */
    private void count(PaxosMessage message, boolean outbound) {
        String type = message.getClass().getSimpleName();
        if (!(message instanceof PaxosMessage.Accept a && a.isHeartbeat())) {
            counters.computeIfAbsent(type, t -> Counter.builder("dtx.paxos.messages")
                    .description("Paxos messages sent and received by this coordinator, heartbeats excluded")
                    .tag("type", t).register(meters)).increment();
        }
        List<Long> slots = message instanceof PaxosMessage.Accept a ? a.entries().stream().map(SlotValue::slot).toList()
                : message instanceof PaxosMessage.Accepted a ? a.slots()
                : message instanceof PaxosMessage.Chosen c ? c.entries().stream().map(SlotValue::slot).toList()
                : List.of();
        for (Long slot : slots) {
            Waiting w = waiting.get(slot);
            if (w != null) {
                synchronized (w.messages()) {
                    w.messages()[0]++;
                }
            }
        }
    }

    private void requireStarted() {
        if (node == null) {
            throw new NotLeaderException(null, "consensus is starting");
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public void start() {
        timer = DaemonThreads.scheduler("dtx-paxos-" + client.self());
        leadershipActions = DaemonThreads.single("dtx-leadership-" + client.self());
        lock.lock();
        try {
            node = PaxosNode.recover(config, storage, new SecureRandom(), now());
            log.info("Paxos node {} of {} started; replaying the chosen log", client.self(), config.members());
            handle(node.tick(now()));
        } finally {
            lock.unlock();
        }
        long every = properties.tick().toMillis();
        timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (timer != null) {
            timer.shutdownNow();
            leadershipActions.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** After the web server (so peers can answer) and the JPA/JDBC beans; before nothing in particular. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 100;
    }

}
