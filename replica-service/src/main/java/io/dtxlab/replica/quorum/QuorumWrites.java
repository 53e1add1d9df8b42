package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.HashRing;
import io.dtxlab.core.quorum.Quorum;
import io.dtxlab.core.quorum.QuorumTally;
import io.dtxlab.core.quorum.VectorClock;
import io.dtxlab.core.quorum.Version;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Coordinates quorum writes. The coordinator (any node) advances its own entry of the context's clock, sends the
 * version to the key's N owners at once, and answers as soon as W of them have it on disk; the others still get
 * it. An owner that does not answer is replaced by the next stand-in on the ring, which keeps the write as a hint
 * for that owner (a sloppy quorum): the stand-in's ack counts towards W.
 */
@Component
class QuorumWrites {

    private static final Logger log = LoggerFactory.getLogger(QuorumWrites.class);

    private final HashRing ring;
    private final QuorumProperties properties;
    private final ReplicaChannel replicas;
    private final VersionStore store;
    private final QuorumStats stats;

    QuorumWrites(HashRing ring, QuorumProperties properties, ReplicaChannel replicas, VersionStore store,
            QuorumStats stats) {
        this.ring = ring;
        this.properties = properties;
        this.replicas = replicas;
        this.store = store;
        this.stats = stats;
    }

    WriteAnswer write(String key, String value, Map<String, Long> context, Integer w) {
        long start = System.nanoTime();
        Quorum quorum = new Quorum(properties.n(), properties.r(), w == null ? properties.w() : w);
        if (ring.nodes().size() < quorum.n()) {
            throw QuorumProblems.tooFewReplicas(quorum.n(), ring.nodes().size());
        }
        VectorClock clock = store.nextClock(key, replicas.self(), context(context));
        Round round = new Round(key, new Version(clock, value), quorum.w(), ring.standIns(key, quorum.n()));
        round.start(ring.preferenceList(key, quorum.n()));
        long deadline = properties.requestTimeout().multipliedBy(2).toMillis();
        QuorumTally tally = round.tally;
        boolean timedOut = !Rounds.await(round.decided, deadline) && !tally.decided();
        if (!tally.reached() && !timedOut) {
            // lost anyway: let the messages still out settle, so the problem names every replica that has the write
            Rounds.await(round.settled, deadline);
        }
        long nanos = System.nanoTime() - start;
        stats.request("write", "W=" + quorum.w(), tally.reached(), nanos, round.messages.get());
        if (!tally.reached()) {
            log.warn("quorum: write of key {} failed: {} of W={} acks {}, failed {}", key, tally.answered().size(),
                    quorum.w(), tally.answered(), tally.failed());
            throw QuorumProblems.notReached("write", key, "W", quorum.w(), tally.answered(), tally.failed(), timedOut);
        }
        log.info("quorum: wrote key {} as {} (W={}, acks {}{})", key, clock, quorum.w(), tally.answered(),
                round.standInsSoFar().isEmpty() ? "" : ", stand-ins " + round.standInsSoFar());
        return new WriteAnswer(key, clock.counters(), replicas.self(), quorum.n(), quorum.w(), tally.answered(),
                round.standInsSoFar(), tally.failed(), round.messages.get(), TimeUnit.NANOSECONDS.toMillis(nanos),
                !quorum.overlapping(), quorum.staleWarning());
    }

    /** The client's context, which must name only replicas: a read's {@code context}, sent back unchanged. */
    private VectorClock context(Map<String, Long> context) {
        VectorClock clock = context == null ? VectorClock.empty() : VectorClock.of(context);
        for (String node : clock.counters().keySet()) {
            if (!ring.nodes().contains(node)) {
                throw new IllegalArgumentException("the context names '" + node + "', which is not a replica "
                        + ring.nodes() + ": send the context of a read of this key unchanged");
            }
        }
        return clock;
    }

    /** One write's messages and their answers. */
    private final class Round {

        final String key;
        final Version version;
        final QuorumTally tally;
        final Deque<String> standIns;
        final List<StandIn> standInsUsed = new ArrayList<>();
        final AtomicInteger messages = new AtomicInteger();
        final CompletableFuture<Void> decided = new CompletableFuture<>();
        final CompletableFuture<Void> settled = new CompletableFuture<>();

        Round(String key, Version version, int w, List<String> standIns) {
            this.key = key;
            this.version = version;
            this.tally = new QuorumTally(w);
            this.standIns = new ArrayDeque<>(standIns);
        }

        void start(List<String> owners) {
            owners.forEach(tally::expect);
            // the remote owners first, so their messages are in flight while this node writes its own copy
            owners.stream().filter(o -> !replicas.isLocal(o)).forEach(o -> send(o, null));
            owners.stream().filter(replicas::isLocal).forEach(o -> send(o, null));
        }

        private void send(String node, String hintFor) {
            if (!replicas.isLocal(node)) {
                messages.incrementAndGet();
            }
            var put = new ReplicaMessages.Put(key, List.of(VersionBody.of(version)), hintFor);
            replicas.put(node, hintFor == null ? ReplicaChannel.PUT : ReplicaChannel.HINT, put)
                    .whenComplete((ack, error) -> {
                        if (error == null) {
                            if (hintFor != null) {
                                standInAcked(node, hintFor);
                            }
                            decideIf(tally.answer(node));
                        } else {
                            failed(node, hintFor, Rounds.describe(error));
                        }
                    });
        }

        private void failed(String node, String hintFor, String reason) {
            String owner = hintFor != null ? hintFor : node;
            String standIn = nextStandIn();
            if (standIn != null) {
                log.info("quorum: {} did not take key {} ({}); {} stands in for {}", node, key, reason, standIn, owner);
                tally.expect(standIn); // before the failure is counted, so the round stays open for the stand-in
                send(standIn, owner);
            }
            decideIf(tally.fail(node, reason));
        }

        private synchronized String nextStandIn() {
            return standIns.pollFirst();
        }

        private synchronized void standInAcked(String node, String owner) {
            standInsUsed.add(new StandIn(node, owner));
            stats.standInWrite();
        }

        synchronized List<StandIn> standInsSoFar() {
            return List.copyOf(standInsUsed);
        }

        private void decideIf(boolean decidedNow) {
            if (decidedNow) {
                decided.complete(null);
            }
            if (tally.outstanding() == 0) {
                settled.complete(null);
            }
        }
    }
}
