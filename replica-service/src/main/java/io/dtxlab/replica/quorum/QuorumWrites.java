package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.HashRing;
import io.dtxlab.core.quorum.Quorum;
import io.dtxlab.core.quorum.QuorumRound;
import io.dtxlab.core.quorum.VectorClock;
import io.dtxlab.core.quorum.Version;
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
        Round write = new Round(key, new Version(clock, value), quorum.w(), ring.preferenceList(key, quorum.n()),
                ring.standIns(key, quorum.n()));
        write.start();
        QuorumRound round = write.round;
        long deadline = properties.requestTimeout().multipliedBy(2).toMillis();
        boolean timedOut = !Rounds.await(write.decided, deadline) && !round.decided();
        if (!round.reached() && !timedOut) {
            // lost anyway: let the messages still out settle, so the problem names every replica that has the write
            Rounds.await(write.settled, deadline);
        }
        long nanos = System.nanoTime() - start;
        stats.request("write", "W=" + quorum.w(), round.reached(), nanos, write.messages.get());
        if (!round.reached()) {
            log.warn("quorum: write of key {} failed: {} of W={} acks {}, failed {}", key, round.answered().size(),
                    quorum.w(), round.answered(), round.failed());
            throw QuorumProblems.notReached("write", key, "W", quorum.w(), round.answered(), round.failed(), timedOut);
        }
        List<StandIn> standIns = write.standIns();
        log.info("quorum: wrote key {} as {} (W={}, acks {}{})", key, clock, quorum.w(), round.answered(),
                standIns.isEmpty() ? "" : ", stand-ins " + standIns);
        return new WriteAnswer(key, clock.counters(), replicas.self(), quorum.n(), quorum.w(), round.answered(),
                standIns, round.failed(), write.messages.get(), TimeUnit.NANOSECONDS.toMillis(nanos),
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

    /** One write's messages: the core's round decides, this class sends and waits. */
    private final class Round {

        final String key;
        final Version version;
        final QuorumRound round;
        final AtomicInteger messages = new AtomicInteger();
        final CompletableFuture<Void> decided = new CompletableFuture<>();
        final CompletableFuture<Void> settled = new CompletableFuture<>();

        Round(String key, Version version, int w, List<String> owners, List<String> standIns) {
            this.key = key;
            this.version = version;
            this.round = new QuorumRound(owners, standIns, w);
        }

        void start() {
            List<QuorumRound.Send> sends = round.start();
            // the remote owners first, so their messages are in flight while this node writes its own copy
            sends.stream().filter(s -> !replicas.isLocal(s.node())).forEach(this::send);
            sends.stream().filter(s -> replicas.isLocal(s.node())).forEach(this::send);
        }

        private void send(QuorumRound.Send send) {
            if (!replicas.isLocal(send.node())) {
                messages.incrementAndGet();
            }
            var put = new ReplicaMessages.Put(key, List.of(VersionBody.of(version)), send.hintFor());
            replicas.put(send.node(), send.toStandIn() ? ReplicaChannel.HINT : ReplicaChannel.PUT, put)
                    .whenComplete((ack, error) -> {
                        if (error == null) {
                            if (send.toStandIn()) {
                                stats.standInWrite();
                            }
                            round.answer(send.node());
                        } else {
                            String reason = Rounds.describe(error);
                            round.fail(send.node(), reason).ifPresent(standIn -> {
                                log.info("quorum: {} did not take key {} ({}); {} stands in for {}", send.node(), key,
                                        reason, standIn.node(), standIn.hintFor());
                                send(standIn);
                            });
                        }
                        if (round.decided()) {
                            decided.complete(null);
                        }
                        if (round.settled()) {
                            settled.complete(null);
                        }
                    });
        }

        List<StandIn> standIns() {
            return StandIn.of(round.standInsAnswered());
        }
    }
}
