package io.dtxlab.coordinator.consensus;

import io.dtxlab.core.cluster.NodeRole;
import io.dtxlab.core.paxos.Ballot;
import io.dtxlab.core.paxos.PaxosConfig;
import io.dtxlab.core.paxos.Role;
import io.dtxlab.core.paxos.PaxosMessage;
import io.dtxlab.core.paxos.PaxosNode;
import io.dtxlab.core.paxos.PaxosStatus;
import io.dtxlab.core.paxos.PersistPipeline;
import io.dtxlab.core.paxos.Proposal;
import io.dtxlab.core.paxos.Ready;
import io.dtxlab.core.paxos.SlotValue;
import io.dtxlab.platform.concurrent.DaemonThreads;
import io.dtxlab.platform.events.ClusterEventPublisher;
import io.dtxlab.platform.messaging.ClusterClient;
import io.dtxlab.platform.messaging.PeerDatagrams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The edge around the pure {@link PaxosNode}: it feeds the node timer ticks, peers' messages and proposals, and
 * carries out what each step returns (a {@link Ready}) through a {@link PersistPipeline}, on three threads:
 * <ul>
 * <li><b>the consensus lock</b> guards the node and the pipeline, and is held only for the pure steps (microseconds):
 * no disk, network or application code runs under it;</li>
 * <li><b>the writer</b> ({@code dtx-paxos-writer-<node>}) takes every step queued since its last turn as one batch: one
 * record appended to the acceptor log ({@link FilePaxosStorage}, group commit), then the batch's messages (accepts of one ballot to one peer merged into one), then
 * the chosen values to the applier. Heartbeats, their answers, pre-votes and refusals do not wait for it
 * ({@link PersistPipeline#mayOvertake}): a leader's lease does not depend on how busy the disk is;</li>
 * <li><b>the applier</b> ({@code dtx-paxos-apply-<node>}) hands the chosen values to the {@link #onChosen} listeners
 * in slot order, in batches, then completes the proposals of those slots, so a caller that gets its {@link Chosen}
 * reads the applied state; a follower gathers what is chosen within {@link #FOLLOWER_APPLY_LINGER} into one batch;</li>
 * <li><b>the timer</b> ({@code dtx-paxos-<node>}) ticks the node only at {@link PaxosNode#nextDeadline()}: a leader at
 * rest wakes once a heartbeat interval, a follower about once an election timeout.</li>
 * </ul>
 * Messages go through {@link ClusterClient#postAsync}; a peer answers a prepare, accept or pre-vote in the HTTP
 * response body when its answer is ready within {@link ConsensusProperties#replyWait()}, otherwise in a request of
 * its own: an accept costs one HTTP exchange per follower, not two. Heartbeats (accepts with no entries) and their
 * answers (an accepted with no slots, or a refusal) go as datagrams ({@link PeerDatagrams}, kinds
 * {@code paxos-accept}, {@code paxos-accepted} and {@code paxos-rejected}): tens of microseconds of CPU each instead of
 * an HTTP exchange's milliseconds. A follower answers a heartbeat datagram with a datagram, and anything else the
 * heartbeat makes it say (a promise, accepted slots) over HTTP; whatever waits for its step to be durable leaves
 * when the writer has written it, never holding the receive thread. Loss, and reordering between datagrams and
 * HTTP, are what Paxos copes with anyway (the simulation covers both). When datagrams are unavailable (switched
 * off, their port taken) everything goes over HTTP as before. The clock it passes is this JVM's monotonic clock.
 * <p>
 * Metrics: {@code dtx.paxos.messages{type}} counts Paxos messages sent and received (the heartbeat accepts
 * excluded), whether they travel as requests or in response bodies; the gauges {@code dtx.paxos.leading} (1 while this
 * node leads with a valid lease and has applied every slot earlier leaders may have used, else 0) and
 * {@code dtx.paxos.ballot} (the ballot, as one number, of the leader this node knows of; 0 while it knows none); the
 * counter {@code dtx.paxos.leader.changes}: each time the leader this node knows of becomes a different node or the
 * same node with a new ballot, this node counts one. Each node counts what it sees, once per change, so one failover
 * shows as one on each coordinator that noticed it; the first leader a node learns of after it starts counts too. A
 * lapse with no leader known in between is not a change. {@code dtx.paxos.round.records}: records per consensus
 * round this leader ran (one accept to the followers); {@code dtx.paxos.write.steps}: node steps per write to the acceptor log.
 * <p>
 * <b>Applied point, compaction, snapshots.</b> The application registers its durable state machine
 * ({@link #replicate}, a {@link ReplicatedState}): the applier applies every chosen batch to it first (state and
 * applied point in one local transaction), then hands the batch to the {@link #onChosen} listeners. A start replays
 * only the log after the state's applied point. Once the applied point is
 * {@link ConsensusProperties#compactionInterval()} slots past the last compaction, the log up to
 * {@code appliedThrough - logRetention} is deleted ({@link PaxosNode#compact}, one write on the writer). A
 * follower that lacks a deleted slot is sent {@link ReplicatedState#snapshot()} (built on the applier, so it is
 * consistent), in one {@link PaxosMessage.InstallSnapshot} request; it installs it on its applier, in order with the
 * chosen values, then tells its node ({@link PaxosNode#snapshotInstalled}). Metrics: {@code dtx.paxos.snapshots{
 * direction=sent|installed}}, {@code dtx.paxos.snapshot.bytes} (characters of the state sent), the gauges
 * {@code dtx.paxos.applied.through}, {@code dtx.paxos.compacted.through} and {@code dtx.paxos.replayed.slots} (how many
 * slots this start replayed from the log).
 */
@Component
public class PaxosDriver implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PaxosDriver.class);
    /** The most chosen values one call of the listeners gets (a restart replays the log in batches of this size). */
    static final int APPLY_BATCH = 512;
    /**
     * How long a follower gathers chosen values before it applies them: each apply is one H2 commit (a chunk written),
     * about half of a follower's CPU when it applied every round, and nothing waits for a follower's copy (its
     * proposals, and so its answers, are the leader's). A node that leads, campaigns or knows no leader applies at once.
     */
    static final Duration FOLLOWER_APPLY_LINGER = Duration.ofMillis(100);

    /** A proposal waiting to be chosen, and the consensus messages its slot has cost so far. */
    private record Waiting(String payload, CompletableFuture<Chosen> chosen, long since, int[] messages) {
    }

    /**
     * A proposal's outcome, once the listeners applied its slot: chosen at {@code slot} with this payload
     * ({@code ours}) or lost the slot to another value (a new leader's no-op or re-proposal: propose again), with the
     * consensus messages that carried its slot and the milliseconds from proposal to applied.
     */
    public record Chosen(long slot, boolean ours, int messages, long millis) {
    }

    /** A peer's request that waits for this node's answer, to carry it back in the response body. */
    private record Reply(String peer, CompletableFuture<List<PaxosMessage>> answer) {
    }

    /** What {@link #receive} answers: the messages for the sender, some now, the rest when their step is durable. */
    record Answer(List<PaxosMessage> now, CompletableFuture<List<PaxosMessage>> later) {
    }

    /** For the applier: build a snapshot of the applied state and send it to {@code peer}. */
    private record SendSnapshot(String peer) {
    }

    private final ClusterClient client;
    private final PeerDatagrams datagrams;
    private final FilePaxosStorage storage;
    private final ConsensusProperties properties;
    private final ObjectMapper json;
    private final ClusterEventPublisher events;
    private final MeterRegistry meters;
    private final PaxosConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition batchQueued = lock.newCondition();
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private final List<Consumer<List<SlotValue>>> appliers = new CopyOnWriteArrayList<>();
    private final List<Runnable> onLeadership = new CopyOnWriteArrayList<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    /** The applier's work, in order: chosen values (lists of SlotValue), snapshots to install, snapshots to send. */
    private final BlockingQueue<Object> toApply = new LinkedBlockingQueue<>();
    /** Peers a snapshot is being built or sent for: one at a time per peer. */
    private final Set<String> snapshotsUnderway = ConcurrentHashMap.newKeySet();
    private final Counter leaderChanges;
    private final Counter snapshotsSent;
    private final Counter snapshotsInstalled;
    private final DistributionSummary snapshotChars;
    /** The application's durable state machine, if one registered before the start. */
    private volatile ReplicatedState state;
    private final DistributionSummary roundRecords;
    private final DistributionSummary writeSteps;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> nextTick;
    private long nextTickAt = Long.MAX_VALUE;
    private Thread writer;
    private Thread applier;
    /** Runs the leadership actions (recovery proposes and waits): never on a consensus thread. */
    private ExecutorService leadershipActions;
    // guarded by lock
    private PaxosNode node;
    private PersistPipeline pipeline;
    private String knownLeader;
    /** The ballot this node leads with, null while it does not lead. */
    private Ballot ledWith;
    private long knownEpoch;
    private long readyEpoch;
    /** A proposal was refused while this node led with a lapsed lease: its caller left it to "the next leader". */
    private boolean resumeWhenLeased;
    /** Every slot up to here was handed to the listeners (written by the applier only). */
    private volatile long appliedThrough;
    /** {@link #knownEpoch} for the gauge. */
    private volatile long ballotSeen;
    /** The node's compaction point, for the gauge. */
    private volatile long compactedSeen;
    /** The compaction last asked for (applier only). */
    private long compactionAsked;
    /** How many slots the last start handed out again from the log (those after the state's applied point). */
    private volatile long replayedAtStart;
    private volatile boolean running;
    /** Another node leads and this one follows it: its applier gathers values for {@link #FOLLOWER_APPLY_LINGER}. */
    private volatile boolean following;

    PaxosDriver(ClusterClient client, PeerDatagrams datagrams, FilePaxosStorage storage, ConsensusProperties properties,
            ObjectMapper json, ClusterEventPublisher events, MeterRegistry meters) {
        this.client = client;
        this.datagrams = datagrams;
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
                        properties.leaseDuration().toMillis(), properties.maxClockDrift().toMillis())
                .withLearnDelay(properties.learnDelay().toMillis());
        this.leaderChanges = Counter.builder("dtx.paxos.leader.changes")
                .description("Times the leader this coordinator knows of changed (another node, or a new ballot)")
                .register(meters);
        this.roundRecords = DistributionSummary.builder("dtx.paxos.round.records")
                .description("Log records per consensus round this coordinator ran as leader (one accept)")
                // 12 buckets, powers of two (Micrometer's own histogram for a summary has 276)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048).register(meters);
        this.writeSteps = DistributionSummary.builder("dtx.paxos.write.steps")
                .description("Consensus steps made durable by one write to the acceptor log (group commit)")
                .register(meters);
        this.snapshotsSent = Counter.builder("dtx.paxos.snapshots").tag("direction", "sent")
                .description("Snapshots of the applied state this coordinator sent to followers behind its compaction")
                .register(meters);
        this.snapshotsInstalled = Counter.builder("dtx.paxos.snapshots").tag("direction", "installed")
                .description("Snapshots of a leader's applied state this coordinator installed").register(meters);
        this.snapshotChars = DistributionSummary.builder("dtx.paxos.snapshot.bytes").baseUnit("bytes")
                .description("Size of the snapshots this coordinator sent (characters of its encoded state)")
                .register(meters);
        Gauge.builder("dtx.paxos.applied.through", this, d -> d.appliedThrough)
                .description("The last slot this coordinator applied").register(meters);
        Gauge.builder("dtx.paxos.compacted.through", this, d -> d.compactedSeen)
                .description("The last slot deleted from this coordinator's Paxos log").register(meters);
        Gauge.builder("dtx.paxos.replayed.slots", this, d -> d.replayedAtStart)
                .description("Slots the last start replayed from the log (after the applied point)").register(meters);
        Gauge.builder("dtx.paxos.leading", this, d -> d.leadsAndCaughtUp() ? 1 : 0)
                .description("1 while this coordinator leads (valid lease, complete log), else 0")
                .register(meters);
        Gauge.builder("dtx.paxos.ballot", this, d -> d.ballotSeen)
                .description("The ballot, as one number (the epoch participants are fenced with), of the leader "
                        + "this coordinator knows of; 0 while it knows none")
                .register(meters);
        // a datagram carries the message record itself in a binary form of its own (no envelope, no JSON)
        datagrams.on(kind(PaxosMessage.Accept.class), PaxosMessage.Accept.class, PaxosDatagramCodecs.ACCEPT,
                this::receiveDatagram);
        datagrams.on(kind(PaxosMessage.Accepted.class), PaxosMessage.Accepted.class, PaxosDatagramCodecs.ACCEPTED,
                this::receiveDatagram);
        datagrams.on(kind(PaxosMessage.Rejected.class), PaxosMessage.Rejected.class, PaxosDatagramCodecs.REJECTED,
                this::receiveDatagram);
    }

    /**
     * Registers a listener for the chosen log. It gets every chosen value, in slot order, without gaps, no-ops
     * included (skip them), in batches of at most {@value #APPLY_BATCH}, on the one apply thread, after the
     * {@link ReplicatedState} applied them; after a start, the log again from the state's applied point on (the whole
     * log if no state is registered). Slots that an installed snapshot covered are not handed out. It must be
     * idempotent (a value may come again after a restart or a failed batch). A proposal's future completes only after
     * every listener returned for its slot.
     */
    public void onChosen(Consumer<List<SlotValue>> applier) {
        appliers.add(Objects.requireNonNull(applier, "applier"));
    }

    /**
     * Registers the application's durable state machine (one, before the driver starts): the start replays only the
     * log after its applied point, the log below it is compacted, and snapshots of it catch up followers.
     *
     * @throws IllegalStateException if one is registered already or the driver has started
     */
    public void replicate(ReplicatedState replicated) {
        Objects.requireNonNull(replicated, "replicated");
        lock.lock();
        try {
            if (state != null || node != null) {
                throw new IllegalStateException("register the replicated state once, before the driver starts");
            }
            state = replicated;
        } finally {
            lock.unlock();
        }
    }

    /** Runs (on its own thread) each time this node becomes the leader and has applied every earlier slot. */
    public void onLeadership(Runnable action) {
        onLeadership.add(action);
    }

    public PaxosConfig config() {
        return config;
    }

    /**
     * Proposes {@code payload}; the future completes when its slot is chosen and applied (or at once with a
     * {@link NotLeaderException} if this node does not lead). Proposals made while the disk is busy share a round.
     */
    public CompletableFuture<Chosen> propose(String payload) {
        return propose(List.of(payload)).get(0);
    }

    /**
     * Proposes the payloads in ONE consensus round (consecutive slots, in order; one accept per follower of up to
     * {@link PaxosConfig#maxBatch()} records). One future per payload, in order, each completing as
     * {@link #propose(String)}'s does; all fail with a {@link NotLeaderException} if this node does not lead.
     *
     * @throws IllegalArgumentException if a payload is {@code null} (nothing is proposed then)
     */
    public List<CompletableFuture<Chosen>> propose(List<String> payloads) {
        if (payloads.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("a proposed record needs a payload");
        }
        if (payloads.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<Chosen>> futures = new ArrayList<>();
        payloads.forEach(p -> futures.add(new CompletableFuture<>()));
        List<PaxosMessage> out;
        lock.lock();
        try {
            requireStarted();
            long now = now();
            Proposal proposal = node.propose(payloads, now);
            if (proposal.accepted()) {
                for (int i = 0; i < payloads.size(); i++) {
                    waiting.put(proposal.slots().get(i), new Waiting(payloads.get(i), futures.get(i), now, new int[1]));
                }
            } else {
                NotLeaderException refusal = new NotLeaderException(proposal.leaderHint(), proposal.reason());
                futures.forEach(f -> f.completeExceptionally(refusal));
                // still the leader, between leases: no next leader will come to finish what its callers drop
                resumeWhenLeased |= node.role() == Role.LEADER;
            }
            out = handle(proposal.ready(), null);
        } finally {
            lock.unlock();
        }
        sendAll(out);
        return futures;
    }

    /**
     * A peer's message arrived over HTTP. The answer to it (for prepares, accepts and pre-votes) is returned to be sent
     * back in the response body: {@code now} what may leave at once, {@code later} what leaves once this node's
     * step is durable; if the request cannot wait that long, complete {@code later} with an empty list first and
     * it is sent in a request of its own.
     */
    Answer receive(PaxosMessage message) {
        count(message);
        if (message instanceof PaxosMessage.InstallSnapshot snapshot) {
            if (snapshot.to().equals(client.self())) {
                toApply.add(snapshot); // installed by the applier, in order with the chosen values
            }
            return new Answer(List.of(), CompletableFuture.completedFuture(List.of()));
        }
        boolean expectsAnswer = message instanceof PaxosMessage.Prepare || message instanceof PaxosMessage.Accept
                || message instanceof PaxosMessage.PreVote;
        Reply reply = expectsAnswer ? new Reply(message.from(), new CompletableFuture<>()) : null;
        List<PaxosMessage> out;
        boolean queued;
        lock.lock();
        try {
            if (node == null) {
                return new Answer(List.of(), CompletableFuture.completedFuture(List.of()));
            }
            PersistPipeline.Offer offer = pipeline.offer(node.step(message, now()), reply);
            out = offer.now();
            queued = offer.queued();
            requestSnapshots(offer.snapshotsTo());
            afterStep();
        } finally {
            lock.unlock();
        }
        List<PaxosMessage> direct = new ArrayList<>();
        List<PaxosMessage> others = new ArrayList<>();
        for (PaxosMessage m : out) {
            (reply != null && m.to().equals(reply.peer()) ? direct : others).add(m);
        }
        sendAll(others);
        direct.forEach(this::countOut);
        CompletableFuture<List<PaxosMessage>> later = reply != null && queued ? reply.answer()
                : CompletableFuture.completedFuture(List.of());
        return new Answer(direct, later);
    }

    /**
     * A peer's heartbeat, or an answer to one of ours, arrived as a datagram (on the datagram receive thread: the lock
     * is held only for the pure step, and nothing here waits for the disk). The answers go back as datagrams when
     * they are heartbeat traffic or refusals, otherwise over HTTP; those that wait for this node's step to be durable
     * leave from the writer once it is.
     */
    private void receiveDatagram(String from, PaxosMessage message) {
        if (!message.from().equals(from) || !message.to().equals(client.self())
                || !(message instanceof PaxosMessage.Accept || message instanceof PaxosMessage.Accepted
                        || message instanceof PaxosMessage.Rejected)) {
            log.debug("Paxos datagram from {} ignored: {}", from, message);
            return;
        }
        Answer answer = receive(message); // counted, and its answers counted, there or in deliver()
        answer.now().forEach(this::answerDatagram);
        answer.later().thenAccept(later -> later.forEach(this::answerDatagram));
    }

    private void answerDatagram(PaxosMessage answer) {
        transmit(answer, isHeartbeatTraffic(answer) || answer instanceof PaxosMessage.Rejected);
    }

    /** A heartbeat (an accept with no entries) or its answer (an accepted with no slots): tiny, and safe to lose. */
    private static boolean isHeartbeatTraffic(PaxosMessage message) {
        return message instanceof PaxosMessage.Accept a && a.isHeartbeat()
                || message instanceof PaxosMessage.Accepted d && d.slots().isEmpty();
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
            return node != null && node.caughtUp(now()) && appliedThrough >= node.recoveredThrough();
        } finally {
            lock.unlock();
        }
    }

    /** Leads with a valid lease, or follows a leader heard within the election timeout ({@link PaxosNode#inQuorum}). */
    public boolean inQuorum() {
        lock.lock();
        try {
            return node != null && node.inQuorum(now());
        } finally {
            lock.unlock();
        }
    }

    /** The last slot the listeners applied. */
    public long appliedThrough() {
        return appliedThrough;
    }

    /** How many slots the last start replayed from the log: those after the replicated state's applied point. */
    public long replayedAtStart() {
        return replayedAtStart;
    }

    // ---------------------------------------------------------------- consensus lock

    /** Offers a step's result to the pipeline; returns what may be sent now. Runs under the lock. */
    private List<PaxosMessage> handle(Ready ready, Reply reply) {
        PersistPipeline.Offer offer = pipeline.offer(ready, reply);
        requestSnapshots(offer.snapshotsTo());
        afterStep();
        return offer.now();
    }

    /** The node found followers behind its compaction point: the applier builds and sends them snapshots. */
    private void requestSnapshots(List<String> peers) {
        for (String peer : peers) {
            if (state != null && snapshotsUnderway.add(peer)) {
                toApply.add(new SendSnapshot(peer));
            }
        }
    }

    /** Wakes the writer, moves the timer to the node's next deadline, notices leadership. Runs under the lock. */
    private void afterStep() {
        compactedSeen = node.compactedThrough();
        if (pipeline.hasBatch()) {
            batchQueued.signal();
        }
        scheduleTick();
        noticeLeadership();
    }

    private void scheduleTick() {
        long deadline = node.nextDeadline();
        if (deadline >= nextTickAt || timer == null) {
            return;
        }
        if (nextTick != null) {
            nextTick.cancel(false);
        }
        long delay = Math.max(0, Math.min(deadline - now(), 1_000));
        try {
            nextTick = timer.schedule(this::tick, delay, TimeUnit.MILLISECONDS);
            nextTickAt = deadline;
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the node is shutting down: no more ticks
        }
    }

    private void tick() {
        List<PaxosMessage> out = List.of();
        lock.lock();
        try {
            nextTickAt = Long.MAX_VALUE;
            out = handle(node.tick(now()), null);
        } catch (RuntimeException e) {
            log.error("Paxos tick failed; recovering the node from its storage", e);
            recover();
        } finally {
            lock.unlock();
        }
        sendAll(out);
    }

    /**
     * The randomness of the election timer: each node's timeouts must differ from the others', not be unguessable.
     * Seeded once from the system's entropy, then drawn without a system call; a SecureRandom read /dev/urandom at
     * every accept and heartbeat that pushed the deadline back.
     */
    private static Random timerJitter() {
        return new Random(new SecureRandom().nextLong());
    }

    /** Drops the node (its memory may be ahead of its disk) and starts again from storage. Runs under the lock. */
    private void recover() {
        // appliedThrough is durable once set (the state committed it); without a state nothing is, and nothing compacted
        node = PaxosNode.recover(config, storage, timerJitter(), now(), state == null ? 0 : appliedThrough);
        pipeline = new PersistPipeline(storage.promised(), config.maxBatch());
        failWaiting("this coordinator's consensus state was reloaded from storage");
        nextTickAt = Long.MAX_VALUE;
        afterStep();
    }

    private void noticeLeadership() {
        PaxosStatus status = node.status(now());
        boolean leading = status.role() == Role.LEADER;
        if (ledWith != null && !leading) {
            log.warn("no longer leading with ballot {}: {}", ledWith, status.promised().isHigherThan(ledWith)
                    ? "ballot " + status.promised() + " is higher"
                    : "what it sent went unanswered by a majority for an election timeout (check-quorum),"
                            + " or another leader's value was chosen where its own was in flight");
        }
        ledWith = leading ? status.ballot() : null;
        boolean follows = !leading && status.leader() != null && !status.leader().equals(client.self());
        if (following && !follows) {
            toApply.add(List.of()); // an applier gathering values applies them now
        }
        following = follows;
        if (status.leader() != null && (!status.leader().equals(knownLeader) || status.epoch() != knownEpoch)) {
            knownLeader = status.leader();
            knownEpoch = status.epoch();
            ballotSeen = knownEpoch;
            leaderChanges.increment();
            log.info("leader is now {} (ballot {}, epoch {})", status.leader(), status.ballot(), status.epoch());
            if (status.leader().equals(client.self())) {
                events.publish("LEADER_ELECTED", Map.of("leader", status.leader(), "ballot", status.ballot().toString(),
                        "epoch", status.epoch()));
            } else {
                // a deposed leader's proposals will never be chosen in its ballot: let their callers retry elsewhere
                failWaiting("leadership moved to " + status.leader());
            }
        }
        maybeActAsLeader(status);
    }

    private void failWaiting(String reason) {
        String hint = knownLeader != null && !knownLeader.equals(client.self()) ? knownLeader : null;
        waiting.values().forEach(w -> w.chosen().completeExceptionally(new NotLeaderException(hint, reason)));
        waiting.clear();
    }

    /**
     * Runs the leadership actions (finishing what earlier leaders left) once this node leads, is caught up and holds a
     * lease (so their proposals are not refused at once); and again when its lease is renewed after proposals were
     * refused for want of one, since their transactions were left to a next leader that is this same node.
     */
    private void maybeActAsLeader(PaxosStatus status) {
        if (!status.caughtUp() || appliedThrough < node.recoveredThrough() || !status.leaseValid()) {
            return;
        }
        if (readyEpoch != status.epoch()) {
            readyEpoch = status.epoch();
            resumeWhenLeased = false;
            log.info("leading with epoch {} and caught up: finishing what earlier leaders left", status.epoch());
            onLeadership.forEach(action -> leadershipActions.execute(action));
        } else if (resumeWhenLeased) {
            resumeWhenLeased = false;
            log.info("lease renewed (epoch {}): finishing what was left while it had lapsed", status.epoch());
            onLeadership.forEach(action -> leadershipActions.execute(action));
        }
    }

    // ---------------------------------------------------------------- writer

    private void writeLoop() {
        while (running) {
            PersistPipeline.Batch batch;
            PersistPipeline source;
            lock.lock();
            try {
                while (!pipeline.hasBatch()) {
                    batchQueued.await();
                }
                source = pipeline;
                batch = pipeline.next();
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                storage.write(batch.write());
            } catch (RuntimeException e) {
                log.error("Paxos storage write failed; recovering the node from its storage", e);
                lock.lock();
                try {
                    batch.tags().forEach(tag -> ((Reply) tag).answer().complete(List.of()));
                    if (pipeline == source) {
                        recover();
                    }
                } finally {
                    lock.unlock();
                }
                continue;
            }
            lock.lock();
            try {
                if (pipeline == source) { // else the node was recovered meanwhile: its new pipeline starts afresh
                    source.written(batch);
                }
                if (pipeline.hasBatch()) {
                    batchQueued.signal();
                }
            } finally {
                lock.unlock();
            }
            if (!batch.write().isEmpty()) {
                writeSteps.record(batch.steps());
            }
            deliver(batch);
            if (!batch.chosen().isEmpty()) {
                toApply.add(batch.chosen());
            }
        }
    }

    /** Sends a written batch: the answers to peers' waiting requests in their response bodies, the rest as requests. */
    private void deliver(PersistPipeline.Batch batch) {
        Map<String, Reply> lastReply = new LinkedHashMap<>();
        for (Object tag : batch.tags()) {
            Reply reply = (Reply) tag;
            Reply earlier = lastReply.put(reply.peer(), reply);
            if (earlier != null) {
                earlier.answer().complete(List.of());
            }
        }
        Map<String, List<PaxosMessage>> byPeer = new LinkedHashMap<>();
        LinkedHashSet<List<SlotValue>> rounds = new LinkedHashSet<>();
        for (PaxosMessage m : batch.messages()) {
            byPeer.computeIfAbsent(m.to(), p -> new ArrayList<>()).add(m);
            if (m instanceof PaxosMessage.Accept a && !a.isHeartbeat() && a.from().equals(client.self())) {
                rounds.add(a.entries());
            }
        }
        rounds.forEach(entries -> roundRecords.record(entries.size()));
        for (Map.Entry<String, List<PaxosMessage>> e : byPeer.entrySet()) {
            Reply reply = lastReply.remove(e.getKey());
            if (reply != null && reply.answer().complete(e.getValue())) {
                e.getValue().forEach(this::countOut);
            } else {
                sendAll(e.getValue());
            }
        }
        lastReply.values().forEach(r -> r.answer().complete(List.of()));
    }

    // ---------------------------------------------------------------- applier

    private void applyLoop() {
        List<SlotValue> pending = new ArrayList<>();
        while (running) {
            try {
                Object work = toApply.take();
                while (work != null) {
                    if (work instanceof SendSnapshot send) {
                        sendSnapshot(send.peer());
                        work = null;
                    } else if (work instanceof PaxosMessage.InstallSnapshot snapshot) {
                        install(snapshot);
                        work = null;
                    } else {
                        pending.addAll(values(work));
                        work = gather(pending); // snapshot work that came meanwhile, done after these values
                        applyAll(pending);
                        compactIfDue();
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Adds the chosen values already queued to {@code pending}, and on a follower those that come within
     * {@link #FOLLOWER_APPLY_LINGER} too (up to {@link #APPLY_BATCH}). Returns the snapshot work that ended the
     * gathering, or null.
     */
    private Object gather(List<SlotValue> pending) throws InterruptedException {
        long until = System.nanoTime() + FOLLOWER_APPLY_LINGER.toNanos();
        while (pending.size() < APPLY_BATCH) {
            Object next = toApply.poll();
            if (next == null && following) {
                long left = until - System.nanoTime();
                next = left > 0 ? toApply.poll(left, TimeUnit.NANOSECONDS) : null;
            }
            if (next == null) {
                return null;
            }
            if (!(next instanceof List<?>)) {
                return next;
            }
            pending.addAll(values(next));
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<SlotValue> values(Object work) {
        return (List<SlotValue>) work;
    }

    /** Applies the pending values (the state first, then the listeners), in batches; retries a failed batch. */
    private void applyAll(List<SlotValue> pending) throws InterruptedException {
        while (running) {
            pending.removeIf(v -> v.slot() <= appliedThrough); // a recovered node or a snapshot got there first
            if (pending.isEmpty()) {
                return;
            }
            List<SlotValue> batch = List.copyOf(pending.subList(0, Math.min(APPLY_BATCH, pending.size())));
            if (batch.get(0).slot() != appliedThrough + 1) {
                log.error("slot {} comes to apply after slot {}: the log has a gap here", batch.get(0).slot(),
                        appliedThrough);
            }
            try {
                ReplicatedState replicated = state;
                if (replicated != null) {
                    replicated.apply(batch);
                }
                appliers.forEach(a -> a.accept(batch));
            } catch (RuntimeException e) {
                log.error("applying slots {} to {} failed; trying again in a second", batch.get(0).slot(),
                        batch.get(batch.size() - 1).slot(), e);
                Thread.sleep(1_000);
                continue;
            }
            pending.subList(0, batch.size()).clear();
            applied(batch);
        }
    }

    /** Deletes the log below the applied point minus the retention, once it grew an interval past the last time. */
    private void compactIfDue() {
        long through = appliedThrough - properties.logRetention();
        if (state == null || through < compactionAsked + properties.compactionInterval()) {
            return;
        }
        compactionAsked = through;
        List<PaxosMessage> out;
        lock.lock();
        try {
            if (node == null) {
                return;
            }
            out = handle(node.compact(through, now()), null);
        } finally {
            lock.unlock();
        }
        sendAll(out);
    }

    /** Builds a snapshot of the applied state (on the applier: nothing changes it meanwhile) and sends it. */
    private void sendSnapshot(String peer) {
        try {
            ReplicatedState.Snapshot snapshot = state.snapshot();
            if (snapshot.lastSlot() < 1) {
                snapshotsUnderway.remove(peer);
                return;
            }
            PaxosMessage.InstallSnapshot message = new PaxosMessage.InstallSnapshot(client.self(), peer,
                    snapshot.lastSlot(), snapshot.state());
            snapshotsSent.increment();
            snapshotChars.record(snapshot.state().length());
            countOut(message);
            log.info("{} lacks slots this log no longer holds: sending it a snapshot through slot {} ({} characters)",
                    peer, snapshot.lastSlot(), snapshot.state().length());
            client.postAsync(peer, "paxos-installsnapshot", null, PaxosController.PATH, PaxosEnvelope.of(message, json),
                            PaxosEnvelope[].class, properties.snapshotTimeout())
                    .whenComplete((answer, error) -> snapshotsUnderway.remove(peer));
        } catch (RuntimeException e) {
            snapshotsUnderway.remove(peer);
            log.warn("could not send {} a snapshot", peer, e);
        }
    }

    /**
     * Installs a leader's snapshot if it reaches beyond the applied point: durably in the state, then the node skips
     * past it. Proposals of this node in the slots it covers cannot be told apart from others': they fail.
     */
    private void install(PaxosMessage.InstallSnapshot snapshot) {
        ReplicatedState replicated = state;
        if (replicated == null || snapshot.lastSlot() <= appliedThrough) {
            return;
        }
        try {
            replicated.install(new ReplicatedState.Snapshot(snapshot.lastSlot(), snapshot.snapshot()));
        } catch (RuntimeException e) {
            log.warn("could not install the snapshot through slot {} from {}", snapshot.lastSlot(), snapshot.from(), e);
            return;
        }
        log.info("installed a snapshot from {} through slot {} (this coordinator had applied through slot {})",
                snapshot.from(), snapshot.lastSlot(), appliedThrough);
        appliedThrough = snapshot.lastSlot();
        snapshotsInstalled.increment();
        waiting.entrySet().removeIf(e -> {
            if (e.getKey() <= snapshot.lastSlot()) {
                e.getValue().chosen().completeExceptionally(new NotLeaderException(null,
                        "slot " + e.getKey() + " was applied from a snapshot: its value is unknown here"));
                return true;
            }
            return false;
        });
        List<PaxosMessage> out;
        lock.lock();
        try {
            if (node == null) {
                return;
            }
            out = handle(node.snapshotInstalled(snapshot.lastSlot(), now()), null);
            maybeActAsLeader(node.status(now()));
        } finally {
            lock.unlock();
        }
        sendAll(out);
    }

    /** The listeners applied the batch: complete its proposals, and act as leader if that completed the log. */
    private void applied(List<SlotValue> batch) {
        appliedThrough = batch.get(batch.size() - 1).slot();
        long now = now();
        for (SlotValue v : batch) {
            Waiting w = waiting.remove(v.slot());
            if (w != null) {
                boolean ours = w.payload().equals(v.value().payload());
                w.chosen().complete(new Chosen(v.slot(), ours, w.messages()[0], now - w.since()));
            }
        }
        lock.lock();
        try {
            if (node != null) {
                maybeActAsLeader(node.status(now()));
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- network

    private void sendAll(List<PaxosMessage> messages) {
        messages.forEach(this::send);
    }

    private void send(PaxosMessage message) {
        countOut(message);
        transmit(message, isHeartbeatTraffic(message));
    }

    /**
     * Sends a message counted already: as a datagram if {@code datagram} and datagrams can carry it, else over HTTP
     * (where the peer's answers may come back in the response body).
     */
    private void transmit(PaxosMessage message, boolean datagram) {
        String kind = kind(message.getClass());
        if (datagram && datagrams.send(message.to(), kind, null, message)) {
            return;
        }
        client.postOverLink(message.to(), kind, null, PaxosController.PATH, PaxosEnvelope.of(message, json),
                        PaxosEnvelope[].class,
                        properties.messageTimeout())
                .thenAccept(this::answered)
                .exceptionally(e -> null); // lost: Paxos copes, and the message log shows it
    }

    /** The message kind (and fault point {@code send:<kind>}) of a Paxos message type: {@code paxos-accept}, ... */
    private static String kind(Class<? extends PaxosMessage> type) {
        return KINDS.get(type);
    }

    private static final ClassValue<String> KINDS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return "paxos-" + type.getSimpleName().toLowerCase(Locale.ROOT);
        }
    };

    /** The peer's answers that came back in the response body. */
    private void answered(PaxosEnvelope[] answers) {
        if (answers == null) {
            return;
        }
        for (PaxosEnvelope envelope : answers) {
            PaxosMessage m = envelope.open(json);
            if (m.to().equals(client.self())) {
                Answer ignored = receive(m); // answers to answers are never expected
            }
        }
    }

    private void countOut(PaxosMessage message) {
        count(message);
    }

    /** Attributes a message to the waiting proposals of the slots it carries, and counts it by type. */
    private void count(PaxosMessage message) {
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

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void start() {
        timer = DaemonThreads.scheduler("dtx-paxos-" + client.self());
        leadershipActions = DaemonThreads.single("dtx-leadership-" + client.self());
        running = true;
        writer = DaemonThreads.named("dtx-paxos-writer-" + client.self()).newThread(this::writeLoop);
        applier = DaemonThreads.named("dtx-paxos-apply-" + client.self()).newThread(this::applyLoop);
        List<PaxosMessage> out;
        lock.lock();
        try {
            long applied = state == null ? 0 : state.appliedThrough();
            appliedThrough = applied;
            node = PaxosNode.recover(config, storage, timerJitter(), now(), applied);
            compactionAsked = node.compactedThrough();
            replayedAtStart = Math.max(0, node.firstUnchosen() - 1 - applied);
            pipeline = new PersistPipeline(storage.promised(), config.maxBatch());
            log.info("Paxos node {} of {} started: applied through slot {}, log compacted through slot {}; replaying "
                    + "{} slots from the log", client.self(), config.members(), applied, node.compactedThrough(),
                    replayedAtStart);
            out = handle(node.tick(now()), null); // hands out the chosen log after the applied point
        } finally {
            lock.unlock();
        }
        writer.start();
        applier.start();
        sendAll(out);
    }

    @Override
    public void stop() {
        running = false;
        if (timer != null) {
            timer.shutdownNow();
            leadershipActions.shutdownNow();
            writer.interrupt();
            applier.interrupt();
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
