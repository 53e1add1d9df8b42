package io.dtxlab.replica.replication;

import io.dtxlab.core.replication.BullyElection;
import io.dtxlab.core.replication.BullyElection.Candidate;
import io.dtxlab.core.replication.EpochHistory;
import io.dtxlab.platform.events.ClusterEventPublisher;
import io.dtxlab.platform.messaging.ClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Failover ELECT: the Bully election of {@link BullyElection}, run by a slave that lost its master. Messages: kind
 * {@code election} (positions, and asking the winner to run) and {@code propose} (the winner asks for the new epoch).
 */
@Component
class Election implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Election.class);

    private final ReplicaState state;
    private final ReplicationStore store;
    private final ClusterClient client;
    private final ClusterEventPublisher events;
    private final Duration timeout;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService executor;

    Election(ReplicaState state, ReplicationStore store, ClusterClient client, ClusterEventPublisher events,
            ReplicationProperties properties) {
        this.state = state;
        this.executor = Executors.newSingleThreadExecutor(ReplicationThreads.named(state.self(), "replication-election"));
        this.store = store;
        this.client = client;
        this.events = events;
        this.timeout = properties.heartbeatInterval().multipliedBy(2).plusMillis(200);
    }

    /** Runs an election unless one is running, this replica is master, or it still hears its master. */
    void startIfNeeded() {
        if (!state.isMaster() && !state.hearsMaster() && running.compareAndSet(false, true)) {
            executor.execute(() -> {
                try {
                    run();
                } catch (RuntimeException e) {
                    log.warn("election failed", e);
                } finally {
                    running.set(false);
                }
            });
        }
    }

    private void run() {
        String lost = state.master();
        Map<String, Messages.Position> positions = ask(state.otherReplicas(), "election", "/internal/replication/election/position",
                new Messages.Proposal(state.self(), state.epoch(), state.appliedIndex()), Messages.Position.class);
        for (Messages.Position p : positions.values()) {
            if (p.epoch() > state.epoch() || (p.hearsMaster() && p.master().equals(lost))) {
                log.info("no election: {} {}", p.node(), p.epoch() > state.epoch() ? "knows a newer epoch " + p.epoch()
                        : "still hears master " + lost);
                return;
            }
        }
        int clusterSize = state.replicas().size();
        if (!BullyElection.isMajority(1 + positions.size(), clusterSize)) {
            log.info("no election: only {} of {} replicas answered, a majority is needed", 1 + positions.size(), clusterSize);
            return;
        }
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(new Candidate(state.self(), Math.max(state.epoch(), store.votedEpoch()), state.appliedIndex()));
        positions.values().forEach(p -> candidates.add(new Candidate(p.node(), Math.max(p.epoch(), p.votedEpoch()), p.appliedIndex())));
        Candidate winner = BullyElection.winner(candidates);
        if (!winner.node().equals(state.self())) {
            log.info("election: {} ranks highest (index {}); asking it to run", winner.node(), winner.lastIndex());
            client.postAsync(winner.node(), "election", null, "/internal/replication/election/run", Map.of(), Void.class, timeout);
            return;
        }
        long epoch = BullyElection.nextEpoch(candidates);
        state.applyLock.lock();
        try {
            if (store.votedEpoch() >= epoch || state.epoch() >= epoch) {
                return;
            }
            store.vote(epoch, state.self());
        } finally {
            state.applyLock.unlock();
        }
        Map<String, Messages.Grant> grants = ask(List.copyOf(positions.keySet()), "propose", "/internal/replication/election/propose",
                new Messages.Proposal(state.self(), epoch, state.appliedIndex()), Messages.Grant.class);
        long granted = 1 + grants.values().stream().filter(Messages.Grant::granted).count();
        if (!BullyElection.isMajority((int) granted, clusterSize)) {
            log.info("election for epoch {} lost: {} of {} granted ({})", epoch, granted, clusterSize, grants.values());
            return;
        }
        becomeMaster(epoch, lost, positions);
    }

    private void becomeMaster(long epoch, String deposed, Map<String, Messages.Position> positions) {
        state.writeLock.lock();
        state.applyLock.lock();
        try {
            if (state.epoch() >= epoch) {
                return;
            }
            long start = state.appliedIndex() + 1;
            EpochHistory newer = state.history().with(new EpochHistory.Epoch(epoch, state.self(), start));
            store.saveHistory(newer, deposed);
            state.becomeMaster(newer, true);
            long now = Clocks.monotonicMs();
            state.slaves(set -> {
                positions.forEach((node, p) -> set.onContact(node, p.appliedIndex(), now));
                return null;
            });
            log.warn("ELECTED master of epoch {} at index {} (Bully: highest index, then id); {} deposed; positions {}",
                    epoch, start - 1, deposed, positions.values().stream().map(p -> p.node() + "@" + p.appliedIndex()).toList());
        } finally {
            state.applyLock.unlock();
            state.writeLock.unlock();
        }
        events.publish("MASTER_ELECTED", Map.of("epoch", epoch, "master", state.self(), "deposed", deposed));
    }

    /** A candidate's proposal: granted (and persisted) only for a newer epoch, to one at least as up to date. */
    Messages.Grant onProposal(Messages.Proposal proposal) {
        state.applyLock.lock();
        try {
            if (state.isMaster()) {
                return refuse(proposal, state.self() + " is master of epoch " + state.epoch() + " and alive");
            }
            if (state.hearsMaster()) {
                return refuse(proposal, state.self() + " still hears master " + state.master());
            }
            Candidate self = new Candidate(state.self(), Math.max(state.epoch(), store.votedEpoch()), state.appliedIndex());
            if (!BullyElection.grants(self, proposal.epoch(), new Candidate(proposal.candidate(), proposal.epoch(), proposal.lastIndex()))) {
                return refuse(proposal, "epoch " + proposal.epoch() + " is not newer than " + self.epoch()
                        + " or the candidate's index " + proposal.lastIndex() + " is behind " + self.lastIndex());
            }
            store.vote(proposal.epoch(), proposal.candidate());
            state.restartMasterTimeout(); // give the winner a master timeout to start heartbeating
            log.info("granted epoch {} to {}", proposal.epoch(), proposal.candidate());
            return new Messages.Grant(state.self(), true, proposal.epoch(), null);
        } finally {
            state.applyLock.unlock();
        }
    }

    private Messages.Grant refuse(Messages.Proposal proposal, String reason) {
        log.info("refused epoch {} to {}: {}", proposal.epoch(), proposal.candidate(), reason);
        return new Messages.Grant(state.self(), false, proposal.epoch(), reason);
    }

    private <T> Map<String, T> ask(List<String> nodes, String kind, String path, Object body, Class<T> type) {
        Map<String, CompletableFuture<T>> calls = new LinkedHashMap<>();
        nodes.forEach(node -> calls.put(node, client.postAsync(node, kind, null, path, body, type, timeout)));
        Map<String, T> answers = new LinkedHashMap<>();
        calls.forEach((node, call) -> {
            try {
                answers.put(node, call.join());
            } catch (RuntimeException e) {
                log.debug("{} to {} failed: {}", kind, node, e.getMessage());
            }
        });
        return answers;
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
