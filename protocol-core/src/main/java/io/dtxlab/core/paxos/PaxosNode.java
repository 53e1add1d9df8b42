package io.dtxlab.core.paxos;

import io.dtxlab.core.paxos.PaxosMessage.Accept;
import io.dtxlab.core.paxos.PaxosMessage.Accepted;
import io.dtxlab.core.paxos.PaxosMessage.Chosen;
import io.dtxlab.core.paxos.PaxosMessage.PreVote;
import io.dtxlab.core.paxos.PaxosMessage.PreVoteReply;
import io.dtxlab.core.paxos.PaxosMessage.Prepare;
import io.dtxlab.core.paxos.PaxosMessage.Promise;
import io.dtxlab.core.paxos.PaxosMessage.Refusal;
import io.dtxlab.core.paxos.PaxosMessage.Rejected;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * One member of a Multi-Paxos group as a pure state machine: proposer, acceptor and learner in one.
 *
 * <p>Three entry points change it: {@link #step} (a message arrived), {@link #tick} (time passed) and
 * {@link #propose} (the application wants values chosen). Each takes the node's clock reading and returns a
 * {@link Ready} to handle in the order persist, send, apply. The node does NOT do I/O, start threads, read a clock,
 * call back, or retry on its own between calls: the adapter calls {@link #tick} when {@link #nextDeadline()}
 * comes (or more often) and feeds every received message to {@link #step}. It is not thread-safe: one caller at a time, and each
 * {@link Ready} handled before the next call.
 *
 * <p>The rules:
 * <ul>
 * <li><b>Acceptor.</b> Promises a prepare only for a ballot higher than any promised; accepts an accept only for a
 * ballot at least as high as the one promised; state is durable before the answer (see {@link PaxosStorage}).</li>
 * <li><b>Multi-Paxos.</b> A candidate runs phase 1 once, for all slots from its first unchosen one. On a majority of
 * promises it leads: it re-proposes, for each slot some promise reported, the value accepted in the highest ballot,
 * fills the gaps with {@link Value#NOOP}, and from then on only runs phase 2 for new values (several per accept).</li>
 * <li><b>Learning</b> (Lamport, "Paxos Made Simple", 2001, section 3; like the commit index in Raft's AppendEntries).
 * When a majority accepted a slot the leader sends no notice: every accept it sends (values or heartbeat) carries its
 * first unchosen slot {@code f}, and one goes out at most {@link PaxosConfig#learnDelay()} after a decision. A
 * follower that takes an accept of ballot {@code b} learns, from its own first unchosen slot on and below {@code f},
 * each value it accepted in {@code b}; at the first slot it holds from another ballot, or not at all, it stops and
 * reports that slot ({@code missingFrom}), and the leader sends it the chosen values it lacks ({@link Chosen}, the
 * catch-up). Why a value accepted in {@code b} is the chosen one: a ballot proposes one value per slot, and a slot
 * below the leader's {@code f} is chosen. Chosen in a ballot up to {@code b}, Paxos makes the proposal of {@code b}
 * there equal to it. The leader learns a value chosen in a higher ballot only from a {@link Chosen} notice (or a
 * snapshot); unless its own proposal there holds the same value, it then steps down before it sends anything more,
 * so no accept of {@code b} advertises that slot. A value accepted in an older ballot may never have been chosen, so
 * it is not learned this way.</li>
 * <li><b>Lease.</b> A follower that accepts an {@link Accept} (a heartbeat, or values) at time {@code r} refuses, until
 * {@code r + leaseDuration} by its clock, to promise any other node; after a restart it promises nobody for a
 * lease duration, since it may have forgotten a grant. A leader counts on its lease until
 * {@code s + leaseDuration - maxClockDrift} by its clock, {@code s} being the send time of the latest accept (heartbeat or values) a
 * majority answered, and refuses prepares itself while it holds it. So a leader's lease ends, in real time, before any
 * majority can promise a new leader: at most one node holds a valid lease at any time. A leader whose lease lapses
 * does not step down for that alone; it refuses proposals until an answered heartbeat renews the lease.</li>
 * <li><b>Check-quorum.</b> A leader steps down when a majority (itself included) left what it sent unanswered for
 * an election timeout: it is cut off, and the others may elect another. The clock starts at its own send, so a leader
 * that stalled itself is not deposed by its own silence.</li>
 * <li><b>Compaction.</b> The application tells the node how far its durable state reaches ({@link #recover} with
 * {@code appliedThrough}, then {@link #compact}); the node discards the log below, a promise names its compaction
 * point and counts only for a candidate whose log starts after it, and a follower that lacks a discarded slot is
 * sent a snapshot of the application's state ({@link Ready#snapshotsTo()}, {@link #snapshotInstalled}).</li>
 * <li><b>Elections.</b> A follower that heard from no leader for a random time in
 * {@code [electionTimeout, 2 * electionTimeout)} (drawn from the injected {@link Random}) and is in nobody's lease
 * first runs a pre-vote ({@link PaxosMessage.PreVote}): it asks whether the others would promise its next ballot, and
 * only on a majority of yeses becomes a candidate with that ballot. A node says no while it leads, campaigns, or heard
 * a leader (or promised a candidate) less than an election timeout ago, so a node that lost touch with a healthy
 * leader, or starts while one leads, cannot depose it and does not inflate the ballots. The candidate promises its own
 * ballot last, once the others' promises complete a majority with it.</li>
 * </ul>
 */
public final class PaxosNode {

    /** "No such time yet": clocks may have any origin, negative ones included, so 0 cannot mean that. */
    private static final long NEVER = Long.MIN_VALUE;
    private static final int MAX_CHUNKS_PER_BURST = 64;

    private final PaxosConfig config;
    private final String self;
    private final Random random;

    // mirror of the durable state
    private Ballot promised;
    private final TreeMap<Long, AcceptedValue> accepted = new TreeMap<>();
    private final TreeMap<Long, Value> chosen = new TreeMap<>();
    private long firstUnchosen = 1;
    private long nextToApply = 1;
    /** Every slot up to here is chosen, was applied by the application, and is gone from this node's log. */
    private long compactedThrough;

    // volatile state
    private Role role = Role.FOLLOWER;
    private Ballot ballot = Ballot.ZERO; // own ballot as candidate or leader
    private long highestRoundSeen;
    private String leader;
    private Ballot leaderBallot = Ballot.ZERO;
    private long electionDeadline;
    private String leaseHolder;
    private long leaseGrantedUntil = NEVER;
    private final long quietUntil;
    /** When this node last heard a live leader (an accept) or promised a foreign candidate: it then backs them. */
    private long lastLeaderContact = NEVER;

    // pre-candidate: asks before it raises a ballot
    private boolean preVoting;
    private Ballot preVoteBallot = Ballot.ZERO;
    private final Set<String> preVotes = new HashSet<>();
    /** The last pre-vote this node granted another, and when: one per election timeout, like a vote per term. */
    private String preVoteGrantedTo;
    private long preVoteGrantedAt = NEVER;

    // candidate
    private final Map<String, Promise> promises = new HashMap<>();
    private long prepareFromSlot;
    private boolean selfPrepared;

    // leader
    private final TreeMap<Long, InFlight> inFlight = new TreeMap<>();
    private final Map<String, Long> ackedSentAt = new HashMap<>();
    /** Check-quorum: when each peer last answered this leader (an accepted), by this node's clock. */
    private final Map<String, Long> lastHeard = new HashMap<>();
    private final Map<String, Long> lastCatchUpAt = new HashMap<>();
    private final Map<String, Long> lastSnapshotAt = new HashMap<>();
    private long nextSlot;
    private long recoveredThrough; // the last slot an earlier leader may have used
    private long leaseExpiry = NEVER;
    /** Leader: when it sent the first accept (or heartbeat) that no majority has answered since; NEVER: none. */
    private long unansweredSince = NEVER;
    private long nextHeartbeatAt;
    /** When an accept must go out so the followers learn the slots decided since the last one; MAX_VALUE: none due. */
    private long learnDueAt = Long.MAX_VALUE;

    // output of the call under way
    private long now;
    private Ballot newPromise;
    private final Map<Long, AcceptedValue> newAccepted = new LinkedHashMap<>();
    private final List<SlotValue> newChosen = new ArrayList<>();
    private long newCompaction;
    private final List<String> snapshotsTo = new ArrayList<>();
    private final List<PaxosMessage> outgoing = new ArrayList<>();
    private final ArrayDeque<PaxosMessage> loopback = new ArrayDeque<>();

    private static final class InFlight {
        final Value value;
        final Set<String> acceptedBy = new HashSet<>();
        long lastSentAt = Long.MIN_VALUE / 2; // never sent: due at the next heartbeat, whatever the clock's origin

        InFlight(Value value) {
            this.value = value;
        }
    }

    private PaxosNode(PaxosConfig config, PaxosStorage storage, Random random, long now, long appliedThrough) {
        this.config = config;
        this.self = config.self();
        this.random = random;
        this.now = now;
        this.promised = storage.promised();
        this.highestRoundSeen = promised.round();
        long compacted = storage.compactedThrough();
        if (appliedThrough < compacted) {
            throw new IllegalArgumentException(self + ": the application applied through slot " + appliedThrough
                    + " but the log was compacted through slot " + compacted + ": the slots between are lost");
        }
        storage.accepted().forEach(a -> accepted.put(a.slot(), a));
        storage.chosen().forEach(c -> chosen.put(c.slot(), c.value()));
        this.compactedThrough = compacted;
        for (long slot = compacted + 1; slot <= appliedThrough; slot++) {
            if (!chosen.containsKey(slot)) {
                // applied from a snapshot whose compaction the crash kept from the disk: those slots are gone here
                discardThrough(appliedThrough);
                newCompaction = appliedThrough;
                break;
            }
        }
        this.firstUnchosen = Math.max(compactedThrough, appliedThrough) + 1;
        this.nextToApply = appliedThrough + 1;
        advanceFirstUnchosen();
        // A grant made before a crash is forgotten: promise nobody until any such grant has run out.
        this.quietUntil = now + config.leaseDuration();
        resetElectionDeadline(now);
    }

    /**
     * A node (re)starting from its durable state, as a follower, for an application that keeps no state of its own
     * across restarts: the first {@link Ready} hands out every chosen value from slot 1 on again. Same as
     * {@code recover(config, storage, random, now, 0)}; fails if the log was compacted.
     */
    public static PaxosNode recover(PaxosConfig config, PaxosStorage storage, Random random, long now) {
        return recover(config, storage, random, now, 0);
    }

    /**
     * A node (re)starting from its durable state, as a follower, for an application whose applied state is durable:
     * the first {@link Ready} hands out the chosen values from {@code appliedThrough + 1} on (the slots up to it are
     * not replayed).
     *
     * @param random the node's own seeded source for election timeouts
     * @param now the node's clock
     * @param appliedThrough the last slot the application's durable state includes (0: none)
     * @throws IllegalArgumentException if {@code appliedThrough} is below the storage's compaction point: the slots
     *         between are gone from the log, so the application could never get them
     */
    public static PaxosNode recover(PaxosConfig config, PaxosStorage storage, Random random, long now,
            long appliedThrough) {
        if (appliedThrough < 0) {
            throw new IllegalArgumentException("appliedThrough must not be negative: " + appliedThrough);
        }
        return new PaxosNode(config, storage, random, now, appliedThrough);
    }

    // ---------------------------------------------------------------- entry points

    /** A message arrived from another node. */
    public Ready step(PaxosMessage message, long now) {
        begin(now);
        if (!self.equals(message.to()) || !config.members().contains(message.from())) {
            return finish(); // misrouted or from a stranger: ignore
        }
        handle(message);
        return finish();
    }

    /**
     * Time passed: election timeouts (a pre-vote first), heartbeats, retransmission of unanswered accepts, the
     * leader's check-quorum, and the accept that tells the followers what was decided
     * ({@link PaxosConfig#learnDelay()}). Nothing happens before {@link #nextDeadline()}, so the adapter need not call
     * it earlier.
     */
    public Ready tick(long now) {
        begin(now);
        if (role == Role.LEADER) {
            if (this.now >= quorumDeadline()) {
                becomeFollower(null, Ballot.ZERO); // check-quorum: what it sent went unanswered for an election timeout
            } else {
                if (this.now >= nextHeartbeatAt) {
                    heartbeat();
                }
                if (this.now >= learnDueAt) {
                    sendAccepts(List.of(), false); // no accept carried the decisions yet: an empty one does
                }
            }
        } else if (role == Role.CANDIDATE || preVoting) {
            if (this.now >= electionDeadline) {
                startPreVote(); // this round did not win in time: ask again before raising the ballot further
            }
        } else if (this.now >= electionDeadline && this.now >= leaseGrantedUntil && this.now >= quietUntil) {
            startPreVote();
        }
        return finish();
    }

    /**
     * The earliest time, by this node's clock, at which {@link #tick} would do anything: the next heartbeat,
     * check-quorum or learning accept (a learn delay after a decision no accept carried yet) of a leader, the election
     * timeout of a follower (not before any lease it granted and its restart quiet period end), the retry of a
     * pre-candidate or candidate. Messages and proposals may bring it forward, so read it again after every call. An
     * adapter that ticks only then costs nothing while the group is at rest.
     */
    public long nextDeadline() {
        if (role == Role.LEADER) {
            return Math.min(Math.min(nextHeartbeatAt, quorumDeadline()), learnDueAt);
        }
        if (role == Role.CANDIDATE || preVoting) {
            return electionDeadline;
        }
        return Math.max(electionDeadline, Math.max(leaseGrantedUntil, quietUntil));
    }

    /**
     * Asks the group to choose a value in the next free slot. Only a leader with a valid lease takes it; any other
     * node refuses and names the leader it knows of. The value is decided when it comes out of an apply list at the
     * returned slot (see {@link Proposal}).
     */
    public Proposal propose(String payload, long now) {
        return propose(List.of(payload), now);
    }

    /** Several values in one accept: see {@link #propose(String, long)}; they get consecutive slots, in order. */
    public Proposal propose(List<String> payloads, long now) {
        begin(now);
        if (!isLeader(this.now)) {
            String reason = role != Role.LEADER ? "this node is not the leader"
                    : leaseExpiry == NEVER ? "this node was just elected and waits for its first lease"
                    : "this node's lease lapsed";
            String hint = self.equals(leader) ? null : leader;
            return new Proposal(List.of(), leaderBallot, hint, reason, finish());
        }
        if (payloads.isEmpty()) {
            return new Proposal(List.of(), ballot, null, "nothing to propose", finish());
        }
        List<Long> slots = new ArrayList<>();
        List<SlotValue> entries = new ArrayList<>();
        for (String payload : payloads) {
            long slot = nextSlot++;
            Value value = Value.of(payload);
            inFlight.put(slot, new InFlight(value));
            slots.add(slot);
            entries.add(new SlotValue(slot, value));
        }
        sendAccepts(entries, false);
        return new Proposal(slots, ballot, null, null, finish());
    }

    /** Whether this node leads and its lease is valid at {@code now} (its clock): it may act as the only leader. */
    public boolean isLeader(long now) {
        return role == Role.LEADER && now < leaseExpiry;
    }

    /**
     * Whether this node works in a quorum, as far as it can tell at {@code now}: it leads with a valid lease (a
     * majority granted it), or it follows a leader it heard from within the election timeout. A node cut off from
     * the majority keeps the leader it last knew but stops hearing it, so it is not in a quorum after that timeout.
     */
    public boolean inQuorum(long now) {
        if (role == Role.LEADER) {
            return isLeader(now);
        }
        return role == Role.FOLLOWER && !preVoting && leader != null && lastLeaderContact != NEVER
                && now - lastLeaderContact <= config.electionTimeout();
    }

    /**
     * Whether this node leads with a valid lease and every slot earlier leaders may have used is chosen and was handed
     * out to apply: the application's state machine is complete, so a new coordinator leader may now resolve the
     * transactions its predecessor left in doubt.
     */
    public boolean caughtUp(long now) {
        return isLeader(now) && nextToApply > recoveredThrough;
    }

    /**
     * While leading: the last slot earlier leaders may have used; an application that applies asynchronously acts as
     * a caught-up leader only once it applied this far (and {@link #caughtUp} holds). 0 when not leading.
     */
    public long recoveredThrough() {
        return role == Role.LEADER ? recoveredThrough : 0;
    }

    /** Same as {@link #isLeader}: the lease is only ever held by the leader. */
    public boolean leaseValid(long now) {
        return isLeader(now);
    }

    public PaxosStatus status(long now) {
        boolean leading = role == Role.LEADER;
        Ballot leaderAt = leading ? ballot : leaderBallot;
        return new PaxosStatus(self, role, leading ? self : leader, leaderAt, config.epoch(leaderAt), isLeader(now),
                leading && leaseExpiry != NEVER ? leaseExpiry : 0, caughtUp(now), promised, firstUnchosen,
                Math.max(firstUnchosen - 1, chosen.isEmpty() ? 0 : chosen.lastKey()), compactedThrough);
    }

    public Role role() {
        return role;
    }

    public String id() {
        return self;
    }

    public long firstUnchosen() {
        return firstUnchosen;
    }

    /** The chosen value at a slot, or {@code null} if this node does not know it yet. */
    public Value chosenAt(long slot) {
        return chosen.get(slot);
    }

    public PaxosConfig config() {
        return config;
    }

    /**
     * Log compaction: forget every slot up to {@code throughSlot} (accepted and chosen values, in memory and, with the
     * returned {@link Ready}, on disk) and remember the point. Call it only with a slot the application's DURABLE
     * state already includes: after a crash those slots come from that state, never again from the log. Only slots
     * already handed out to apply are discarded ({@code throughSlot} is lowered to the last of them).
     *
     * <p>Why this is safe: a discarded slot is chosen, so no later ballot can choose anything else there; a promise
     * reports the compaction point and a candidate ignores a promise that cannot report a slot it asks about
     * ({@link PaxosMessage.Promise#compactedThrough()}); a lagging follower that needs a discarded slot gets a
     * snapshot of the applied state ({@link Ready#snapshotsTo()}) instead of the values.
     */
    public Ready compact(long throughSlot, long now) {
        begin(now);
        long through = Math.min(throughSlot, nextToApply - 1);
        if (through > compactedThrough) {
            discardThrough(through);
            newCompaction = through;
        }
        return finish();
    }

    /**
     * The application installed a snapshot ({@link PaxosMessage.InstallSnapshot}) and its durable state now includes
     * every slot up to {@code lastSlot}: the node skips there (its log up to that slot is discarded, and the next
     * value handed out to apply is {@code lastSlot + 1}). A snapshot not beyond what was already handed out changes
     * nothing. Call it only after the installation is durable.
     */
    public Ready snapshotInstalled(long lastSlot, long now) {
        begin(now);
        if (lastSlot >= nextToApply) {
            if (role == Role.LEADER && !inFlight.headMap(lastSlot, true).isEmpty()) {
                // its own proposals there may differ from what the snapshot holds: see the learning rule
                becomeFollower(null, Ballot.ZERO);
            }
            discardThrough(lastSlot);
            newCompaction = lastSlot;
            nextToApply = lastSlot + 1;
            firstUnchosen = Math.max(firstUnchosen, lastSlot + 1);
            advanceFirstUnchosen();
            nextSlot = Math.max(nextSlot, lastSlot + 1);
        }
        return finish();
    }

    /** The last slot this node discarded from its log (0 when none). */
    public long compactedThrough() {
        return compactedThrough;
    }

    // ---------------------------------------------------------------- message handling

    private void handle(PaxosMessage message) {
        if (message instanceof Prepare p) {
            onPrepare(p);
        } else if (message instanceof Promise p) {
            onPromise(p);
        } else if (message instanceof Accept a) {
            onAccept(a);
        } else if (message instanceof Accepted a) {
            onAccepted(a);
        } else if (message instanceof Rejected r) {
            onRejected(r);
        } else if (message instanceof Chosen c) {
            onChosen(c);
        } else if (message instanceof PreVote p) {
            onPreVote(p);
        } else if (message instanceof PreVoteReply r) {
            onPreVoteReply(r);
        }
        // InstallSnapshot: the adapter installs it in the application, then calls snapshotInstalled
    }

    /**
     * Pre-vote (Ongaro's thesis, section 9.6; etcd raft's PreVote): "would you promise this ballot?", answered from
     * volatile state only. Yes only if this node would promise it (the ballot is higher than its promise, it is not
     * in its restart quiet period, not inside a lease it granted) and it backs no live leader: it leads itself, or
     * heard a leader (or promised a candidate) less than an election timeout ago, or campaigns itself. So a node
     * that merely lost touch with a healthy leader cannot depose it, and cannot inflate the ballots while alone.
     * Like a vote in a Raft term, a follower grants one pre-candidate per election timeout, and a pre-candidate only
     * one whose log reaches further, or as far with a higher ballot: two nodes that time out together rarely both go
     * on to prepare. A node also says no
     * to a pre-candidate whose log ends at or before its compaction point: its promise could not count for that
     * candidate, and the node further ahead should lead (it can: every compaction point is below its log's end).
     */
    private void onPreVote(PreVote p) {
        boolean eligible = p.ballot().isHigherThan(promised)
                && p.firstUnchosen() > compactedThrough // else this node's promise could not count for it
                && role == Role.FOLLOWER
                && (!preVoting || aheadOfOwnPreVote(p));
        long grantableAt = Math.max(quietUntil, leaseGrantedUntil);
        if (lastLeaderContact != NEVER) {
            grantableAt = Math.max(grantableAt, lastLeaderContact + config.electionTimeout());
        }
        if (!preVoting && preVoteGrantedTo != null && !preVoteGrantedTo.equals(p.from())) {
            grantableAt = Math.max(grantableAt, preVoteGrantedAt + config.electionTimeout());
        }
        boolean grant = eligible && now >= grantableAt;
        if (grant && !preVoting) {
            preVoteGrantedTo = p.from();
            preVoteGrantedAt = now;
        }
        long grantableIn = eligible && !grant ? grantableAt - now : 0;
        send(new PreVoteReply(self, p.from(), p.ballot(), grant, promised, grantableIn));
    }

    /**
     * Two pre-candidates: the one whose log reaches further wins, then the higher ballot (a total order, so at most
     * one of them yields to the other). The log first, because a node behind the others' compaction point cannot
     * win, and must not keep those that can from winning.
     */
    private boolean aheadOfOwnPreVote(PreVote p) {
        return p.firstUnchosen() != firstUnchosen ? p.firstUnchosen() > firstUnchosen
                : p.ballot().isHigherThan(preVoteBallot);
    }

    private void onPreVoteReply(PreVoteReply r) {
        observe(r.promised());
        if (!preVoting || !r.ballot().equals(preVoteBallot)) {
            return;
        }
        if (!r.granted()) {
            if (r.grantableIn() > 0) {
                // the voter only needs time (it heard the old leader a moment later than this node did): ask again
                // as soon as it would say yes, not a whole election timeout later
                electionDeadline = Math.min(electionDeadline, now + r.grantableIn());
            }
            return;
        }
        preVotes.add(r.from());
        if (preVotes.size() >= config.majority()) {
            startElection();
        }
    }

    /** Acceptor, phase 1b. */
    private void onPrepare(Prepare prepare) {
        Ballot b = prepare.ballot();
        observe(b);
        if (b.isLowerThan(promised)) {
            reply(prepare, Refusal.OUTDATED_BALLOT);
            return;
        }
        boolean repeat = b.equals(promised);
        if (!repeat) {
            if (now < quietUntil) {
                reply(prepare, Refusal.RESTARTING);
                return;
            }
            boolean foreign = !prepare.from().equals(self);
            if (foreign && role == Role.LEADER && now < leaseExpiry) {
                reply(prepare, Refusal.INSIDE_LEASE);
                return;
            }
            if (leaseHolder != null && !leaseHolder.equals(prepare.from()) && now < leaseGrantedUntil) {
                reply(prepare, Refusal.INSIDE_LEASE);
                return;
            }
            promise(b);
            if (foreign) {
                if (role != Role.FOLLOWER || preVoting) {
                    becomeFollower(null, Ballot.ZERO);
                }
                resetElectionDeadline(now); // give the candidate time to finish
                lastLeaderContact = now; // and back it: no pre-vote for a rival while it campaigns
            }
        }
        List<SlotValue> known = new ArrayList<>();
        chosen.tailMap(prepare.fromSlot(), true).forEach((slot, value) -> known.add(new SlotValue(slot, value)));
        List<AcceptedValue> reported = new ArrayList<>();
        for (AcceptedValue a : accepted.tailMap(Math.max(prepare.fromSlot(), firstUnchosen), true).values()) {
            if (!chosen.containsKey(a.slot())) {
                reported.add(a); // a chosen slot travels as chosen, which is stronger
            }
        }
        send(new Promise(self, prepare.from(), b, reported, known, compactedThrough));
    }

    /**
     * Candidate: counts promises; a majority makes it the leader. A promise from an acceptor that discarded a slot
     * this candidate asks about does not count: it cannot report what it accepted there.
     */
    private void onPromise(Promise p) {
        if (role != Role.CANDIDATE || !p.ballot().equals(ballot) || p.compactedThrough() >= prepareFromSlot) {
            return;
        }
        promises.put(p.from(), p);
        promiseToSelfOnceNeeded();
        if (promises.size() >= config.majority()) {
            becomeLeader();
        }
    }

    /** Acceptor, phase 2b; also the follower side of heartbeats and leases. */
    private void onAccept(Accept accept) {
        Ballot b = accept.ballot();
        observe(b);
        if (b.isLowerThan(promised)) {
            reply(accept, Refusal.OUTDATED_BALLOT);
            return;
        }
        if (b.isHigherThan(promised)) {
            promise(b);
        }
        if (!accept.from().equals(self)) {
            if (role != Role.FOLLOWER || preVoting) {
                becomeFollower(accept.from(), b);
            }
            leader = accept.from();
            leaderBallot = b;
            lastLeaderContact = now;
            resetElectionDeadline(now);
            if (!accept.from().equals(leaseHolder)) {
                leaseHolder = accept.from();
            }
            leaseGrantedUntil = Math.max(leaseGrantedUntil, now + config.leaseDuration());
        }
        List<Long> slots = new ArrayList<>(accept.entries().size());
        for (SlotValue entry : accept.entries()) {
            if (entry.slot() <= compactedThrough) {
                // Chosen, applied and discarded here; a leader that re-proposes it missed the decision (another
                // leader's, or a snapshot's) and needs a majority to finish it. Answering without storing is safe:
                // this node's promises never count again for a candidate that asks about the slot (see
                // Promise#compactedThrough), so the acceptance can hide nothing from a later phase 1.
                slots.add(entry.slot());
                continue;
            }
            AcceptedValue value = new AcceptedValue(entry.slot(), b, entry.value());
            if (!value.equals(accepted.get(entry.slot()))) {
                accepted.put(entry.slot(), value);
                newAccepted.put(entry.slot(), value);
            }
            slots.add(entry.slot());
        }
        // Every slot below the leader's first unchosen one is chosen, and a value accepted in the leader's own ballot
        // is the chosen one there (see the learning rule). One accepted in another ballot may not be: catch-up.
        while (firstUnchosen < accept.firstUnchosen()) {
            AcceptedValue own = accepted.get(firstUnchosen);
            if (own == null || !own.ballot().equals(b)) {
                break;
            }
            learn(firstUnchosen, own.value());
        }
        long missingFrom = firstUnchosen < accept.firstUnchosen() ? firstUnchosen : 0;
        send(new Accepted(self, accept.from(), b, slots, accept.sentAt(), missingFrom));
    }

    /** Leader: counts acceptances per slot and heartbeat answers for the lease. */
    private void onAccepted(Accepted a) {
        if (role != Role.LEADER || !a.ballot().equals(ballot)) {
            return;
        }
        ackedSentAt.merge(a.from(), a.sentAt(), Math::max);
        lastHeard.put(a.from(), now);
        if (unansweredSince != NEVER && heardFromMajority() >= unansweredSince) {
            unansweredSince = NEVER; // a majority answered since: check-quorum starts again at the next send
        }
        renewLease();
        List<SlotValue> decided = new ArrayList<>();
        for (long slot : a.slots()) {
            InFlight f = inFlight.get(slot);
            if (f != null && f.acceptedBy.add(a.from()) && f.acceptedBy.size() >= config.majority()) {
                inFlight.remove(slot);
                decided.add(new SlotValue(slot, f.value));
            }
        }
        if (!decided.isEmpty()) {
            long before = firstUnchosen;
            decided.forEach(d -> learn(d.slot(), d.value()));
            if (firstUnchosen > before && config.members().size() > 1) {
                // no Chosen notice: the followers learn from the first unchosen slot of the next accept
                learnDueAt = Math.min(learnDueAt, now + config.learnDelay());
            }
        }
        if (a.missingFrom() > 0 && !a.from().equals(self)
                && (a.missingFrom() <= compactedThrough || !chosen.containsKey(a.missingFrom()))) {
            // what it lacks is gone from this log: the application's state must travel instead
            if (now >= lastSnapshotAt.getOrDefault(a.from(), Long.MIN_VALUE / 2) + config.electionTimeout()) {
                lastSnapshotAt.put(a.from(), now);
                snapshotsTo.add(a.from());
            }
        } else if (a.missingFrom() > 0 && !a.from().equals(self)
                && now >= lastCatchUpAt.getOrDefault(a.from(), Long.MIN_VALUE / 2) + config.heartbeatInterval()) {
            lastCatchUpAt.put(a.from(), now);
            List<SlotValue> missing = new ArrayList<>();
            for (Map.Entry<Long, Value> e : chosen.tailMap(a.missingFrom(), true).entrySet()) {
                if (e.getKey() >= firstUnchosen || missing.size() >= burst()) {
                    break;
                }
                missing.add(new SlotValue(e.getKey(), e.getValue()));
            }
            for (List<SlotValue> chunk : chunks(missing)) {
                send(new Chosen(self, a.from(), chunk));
            }
        }
    }

    /**
     * Learning from a notice (a catch-up, or a value another leader chose). A leader that learns a value it did not
     * decide itself in a slot where it has no proposal of that same value steps down at once, before it sends
     * anything more: that value was chosen in a higher ballot, and were it to go on it would advertise the slot as
     * chosen in its own ballot, where the followers would learn its different proposal (see the learning rule).
     */
    private void onChosen(Chosen c) {
        for (SlotValue e : c.entries()) {
            if (role == Role.LEADER && e.slot() > compactedThrough && !chosen.containsKey(e.slot())) {
                InFlight own = inFlight.get(e.slot());
                if (own == null || !own.value.equals(e.value())) {
                    becomeFollower(null, Ballot.ZERO); // someone leads a higher ballot
                }
            }
            learn(e.slot(), e.value());
        }
    }

    private void onRejected(Rejected r) {
        observe(r.promised());
        if (role == Role.FOLLOWER || !r.ballot().equals(ballot)) {
            return;
        }
        if (r.promised().isHigherThan(ballot)) {
            // someone runs a higher ballot: stop competing, and let the election timer decide
            becomeFollower(null, Ballot.ZERO);
        } else if (r.refusal() == Refusal.INSIDE_LEASE && leader == null) {
            leader = r.leaseHolder();
        }
    }

    // ---------------------------------------------------------------- role changes

    /**
     * The election timer fired: ask the others whether they would promise the next ballot, and raise it only if a
     * majority (this node included) would. Changes nothing durable.
     */
    private void startPreVote() {
        if (role != Role.FOLLOWER) {
            becomeFollower(leader, leaderBallot);
        }
        preVoting = true;
        preVoteBallot = new Ballot(Math.max(highestRoundSeen, promised.round()) + 1, self);
        preVotes.clear();
        preVotes.add(self);
        resetElectionDeadline(now); // ask again if no majority answers in time
        for (String peer : peers()) {
            send(new PreVote(self, peer, preVoteBallot, firstUnchosen));
        }
        if (preVotes.size() >= config.majority()) {
            startElection();
        }
    }

    private void startElection() {
        preVoting = false;
        role = Role.CANDIDATE;
        ballot = new Ballot(Math.max(highestRoundSeen, promised.round()) + 1, self);
        highestRoundSeen = ballot.round();
        leader = null;
        leaderBallot = Ballot.ZERO;
        promises.clear();
        prepareFromSlot = firstUnchosen;
        resetElectionDeadline(now); // retry with a higher ballot if this one does not win in time
        selfPrepared = false;
        for (String peer : peers()) {
            send(new Prepare(self, peer, ballot, prepareFromSlot));
        }
        promiseToSelfOnceNeeded();
    }

    /**
     * A candidate promises its own ballot last, once the others' promises make a majority with it: a node cut off
     * from the rest then never raises its own promised ballot, and cannot depose the leader when it comes back.
     */
    private void promiseToSelfOnceNeeded() {
        if (!selfPrepared && promises.size() >= config.majority() - 1) {
            selfPrepared = true;
            send(new Prepare(self, self, ballot, prepareFromSlot));
        }
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leader = self;
        leaderBallot = ballot;
        unansweredSince = NEVER;
        leaseExpiry = NEVER;
        ackedSentAt.clear();
        lastHeard.clear();
        lastCatchUpAt.clear();
        lastSnapshotAt.clear();
        inFlight.clear();
        learnDueAt = Long.MAX_VALUE;
        Map<Long, AcceptedValue> highest = new HashMap<>();
        long lastSlot = prepareFromSlot - 1;
        for (Promise p : promises.values()) {
            for (SlotValue c : p.chosen()) {
                learn(c.slot(), c.value());
                lastSlot = Math.max(lastSlot, c.slot());
            }
            for (AcceptedValue a : p.accepted()) {
                highest.merge(a.slot(), a, (x, y) -> x.ballot().compareTo(y.ballot()) >= 0 ? x : y);
                lastSlot = Math.max(lastSlot, a.slot());
            }
        }
        promises.clear();
        // Re-propose what may have been chosen (highest accepted ballot wins); fill the holes with no-ops.
        List<SlotValue> reproposals = new ArrayList<>();
        for (long slot = firstUnchosen; slot <= lastSlot; slot++) {
            if (chosen.containsKey(slot)) {
                continue;
            }
            AcceptedValue a = highest.get(slot);
            Value value = a == null ? Value.NOOP : a.value();
            inFlight.put(slot, new InFlight(value));
            reproposals.add(new SlotValue(slot, value));
        }
        nextSlot = Math.max(Math.max(lastSlot + 1, firstUnchosen), chosen.isEmpty() ? 1 : chosen.lastKey() + 1);
        recoveredThrough = nextSlot - 1;
        // also the first heartbeat, whose answers give the lease; the rest of a long backlog follows on heartbeats
        sendAccepts(reproposals.subList(0, Math.min(reproposals.size(), burst())), true);
    }

    private void becomeFollower(String knownLeader, Ballot knownBallot) {
        role = Role.FOLLOWER;
        preVoting = false;
        leader = knownLeader;
        leaderBallot = knownBallot;
        ballot = Ballot.ZERO;
        leaseExpiry = NEVER;
        promises.clear();
        inFlight.clear();
        ackedSentAt.clear();
        learnDueAt = Long.MAX_VALUE;
        resetElectionDeadline(now);
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Due every heartbeat interval: retransmits unanswered accepts, and renews the lease. Skipped while every peer
     * answered an accept sent less than an interval ago (proposals under load renew the lease by themselves), so
     * only an idle or lagging group pays for heartbeats.
     */
    private void heartbeat() {
        List<SlotValue> again = retransmissions();
        long since = now - config.heartbeatInterval();
        long oldest = leaseExpiry == NEVER ? NEVER : leaseExpiry - config.leaderLease(); // the lease's start
        for (String peer : peers()) {
            oldest = Math.min(oldest, ackedSentAt.getOrDefault(peer, NEVER));
        }
        if (again.isEmpty() && oldest != NEVER && oldest > since) {
            nextHeartbeatAt = Math.max(now + 1, oldest + config.heartbeatInterval());
            return;
        }
        sendAccepts(again, true);
    }

    /**
     * Check-quorum: a leader steps down once a majority (itself included) has left an accept or heartbeat it sent
     * unanswered for an election timeout; by then the followers may elect another. The clock starts at the leader's own
     * send, not at the last answer: a leader that itself stalled (GC, a starved CPU) and sent nothing meanwhile has not
     * been ignored, and its first heartbeat afterwards is answered at once. Its lease alone does not make it step down:
     * a lease that lapsed on a starved CPU only stops proposals until the next answered heartbeat renews it.
     * <p>
     * A new leader that no majority has answered yet gets two election timeouts from its first send (at its election).
     * Its followers promised it a moment ago, so silence is more likely a slow first accept (it costs them a disk write
     * after the leader's own, on a machine that may still be starting) than a cut; stepping down then only costs
     * another election. Safety does not depend on this rule: proposals need the lease, which only answers renew.
     */
    private long quorumDeadline() {
        if (config.majority() == 1 || unansweredSince == NEVER) {
            return Long.MAX_VALUE;
        }
        long timeout = config.electionTimeout();
        return heardFromMajority() == NEVER ? unansweredSince + 2 * timeout : unansweredSince + timeout;
    }

    /** Leader: the latest time by which a majority (itself included) had answered; NEVER if none has yet. */
    private long heardFromMajority() {
        int othersNeeded = config.majority() - 1;
        if (othersNeeded == 0) {
            return now;
        }
        List<Long> heard = new ArrayList<>();
        for (String peer : peers()) {
            heard.add(lastHeard.getOrDefault(peer, NEVER));
        }
        heard.sort(java.util.Comparator.reverseOrder());
        return heard.get(othersNeeded - 1);
    }

    /**
     * Sends the entries to every member (itself included) in accepts of at most maxBatch; none: a heartbeat. Each
     * carries this node's first unchosen slot, so it also tells the followers every decision so far.
     */
    private void sendAccepts(List<SlotValue> entries, boolean heartbeat) {
        learnDueAt = Long.MAX_VALUE;
        for (SlotValue e : entries) {
            InFlight f = inFlight.get(e.slot());
            if (f != null) {
                f.lastSentAt = now;
            }
        }
        if (heartbeat) {
            nextHeartbeatAt = now + config.heartbeatInterval();
        }
        if (unansweredSince == NEVER) {
            unansweredSince = now;
        }
        for (List<SlotValue> chunk : entries.isEmpty() ? List.of(entries) : chunks(entries)) {
            for (String member : config.members()) {
                send(new Accept(self, member, ballot, chunk, firstUnchosen, now));
            }
        }
    }

    private List<List<SlotValue>> chunks(List<SlotValue> entries) {
        List<List<SlotValue>> chunks = new ArrayList<>();
        for (int from = 0; from < entries.size(); from += config.maxBatch()) {
            chunks.add(entries.subList(from, Math.min(entries.size(), from + config.maxBatch())));
        }
        return chunks;
    }

    /** The most entries one heartbeat retransmits, or one catch-up sends a follower: bounds a burst. */
    private int burst() {
        return config.maxBatch() * MAX_CHUNKS_PER_BURST;
    }

    /** Unchosen proposals sent at least a heartbeat ago: they ride on the heartbeat again. */
    private List<SlotValue> retransmissions() {
        List<SlotValue> again = new ArrayList<>();
        for (Map.Entry<Long, InFlight> e : inFlight.entrySet()) {
            if (again.size() >= burst()) {
                break;
            }
            if (e.getValue().lastSentAt <= now - config.heartbeatInterval()) {
                again.add(new SlotValue(e.getKey(), e.getValue().value));
            }
        }
        return again;
    }

    /** The lease starts when the latest heartbeat a majority (this leader included) answered was sent. */
    private void renewLease() {
        if (ackedSentAt.size() < config.majority()) {
            return;
        }
        List<Long> sentAts = new ArrayList<>(ackedSentAt.values());
        sentAts.sort(java.util.Comparator.reverseOrder());
        long start = sentAts.get(config.majority() - 1);
        leaseExpiry = Math.max(leaseExpiry, start + config.leaderLease());
    }

    private void learn(long slot, Value value) {
        if (slot <= compactedThrough) {
            return; // chosen, applied and discarded: nothing left to compare it with
        }
        Value known = chosen.get(slot);
        if (known != null) {
            if (!known.equals(value)) {
                throw new IllegalStateException(self + ": slot " + slot + " was chosen as '" + known
                        + "' and is now reported as '" + value + "': Paxos safety is broken");
            }
            return;
        }
        chosen.put(slot, value);
        newChosen.add(new SlotValue(slot, value));
        inFlight.remove(slot);
        advanceFirstUnchosen();
    }

    /** Forgets every slot up to {@code through}, in memory (the caller writes the point). */
    private void discardThrough(long through) {
        compactedThrough = Math.max(compactedThrough, through);
        accepted.headMap(compactedThrough, true).clear();
        chosen.headMap(compactedThrough, true).clear();
        inFlight.headMap(compactedThrough, true).clear();
    }

    private void advanceFirstUnchosen() {
        while (chosen.containsKey(firstUnchosen)) {
            firstUnchosen++;
        }
    }

    private void promise(Ballot b) {
        promised = b;
        newPromise = b;
    }

    private void observe(Ballot b) {
        highestRoundSeen = Math.max(highestRoundSeen, b.round());
    }

    private void reply(Prepare prepare, Refusal refusal) {
        send(new Rejected(self, prepare.from(), prepare.ballot(), refusal, promised, refusalHolder()));
    }

    private void reply(Accept accept, Refusal refusal) {
        send(new Rejected(self, accept.from(), accept.ballot(), refusal, promised, refusalHolder()));
    }

    private String refusalHolder() {
        if (role == Role.LEADER && now < leaseExpiry) {
            return self;
        }
        return now < leaseGrantedUntil ? leaseHolder : null;
    }

    private void resetElectionDeadline(long from) {
        long timeout = config.electionTimeout();
        electionDeadline = from + timeout + random.nextInt((int) Math.max(1, Math.min(timeout, Integer.MAX_VALUE)));
    }

    private List<String> peers() {
        List<String> peers = new ArrayList<>(config.members());
        peers.remove(self);
        return peers;
    }

    private void send(PaxosMessage message) {
        if (message.to().equals(self)) {
            loopback.add(message);
        } else {
            outgoing.add(message);
        }
    }

    /** A clock that steps back (an adapter bug, a bad clock) is held where it was: leases only ever shrink. */
    private void begin(long now) {
        this.now = Math.max(this.now, now);
    }

    /**
     * Messages to itself are handled at once: safe, because nothing of this call leaves the node before its state is
     * durable (the {@link Ready} order).
     */
    private Ready finish() {
        while (!loopback.isEmpty()) {
            handle(loopback.poll());
        }
        List<SlotValue> apply = new ArrayList<>();
        while (chosen.containsKey(nextToApply)) {
            apply.add(new SlotValue(nextToApply, chosen.get(nextToApply)));
            nextToApply++;
        }
        StorageWrite write = newPromise == null && newAccepted.isEmpty() && newChosen.isEmpty() && newCompaction == 0
                ? StorageWrite.NONE
                : new StorageWrite(newPromise, new ArrayList<>(newAccepted.values()), newChosen, newCompaction);
        Ready ready = new Ready(write, outgoing, apply, snapshotsTo);
        newPromise = null;
        newAccepted.clear();
        newChosen.clear();
        newCompaction = 0;
        outgoing.clear();
        snapshotsTo.clear();
        return ready;
    }
}
