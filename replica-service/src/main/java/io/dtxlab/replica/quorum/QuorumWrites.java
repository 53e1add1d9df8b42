package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.HashRing;
import io.dtxlab.core.quorum.Quorum;
import io.dtxlab.core.quorum.QuorumRound;
import io.dtxlab.core.quorum.VectorClock;
import io.dtxlab.core.quorum.Version;
import io.dtxlab.platform.problem.ValidationProblem;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Coordinates quorum writes. The coordinator (any node) gives the write a dot, its next counter for the key, with
 * the client's context as the version's past; it sends the version to the key's N owners at once, and answers as soon as W of them have it on disk; the others still get
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
        VectorClock past = context(context);
        Version version = Version.write(store.nextDot(key, past), past, value);
        VectorClock clock = version.clock();
        Round write = new Round(key, version, quorum.w(), ring.preferenceList(key, quorum.n()),
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
        return new WriteAnswer(key, clock.counters(), version.dot(), version.context().counters(), replicas.self(), quorum.n(), quorum.w(), round.answered(),
                standIns, round.failed(), write.messages.get(), TimeUnit.NANOSECONDS.toMillis(nanos),
                !quorum.overlapping() || !standIns.isEmpty(),
                quorum.staleWarning(standIns.stream().map(StandIn::node).toList()));
    }

    /**
     * The client's context, a read's {@code context} sent back unchanged: every entry names a replica and holds a
     * counter from 0 to {@link VectorClock#MAX_CONTEXT_COUNTER}. Anything else is a 400 naming the entry
     * ({@code context.<node>}), before a counter is taken or anything written.
     */
    private VectorClock context(Map<String, Long> context) {
        if (context == null) {
            return VectorClock.empty();
        }
        for (Map.Entry<String, Long> entry : context.entrySet()) {
            String field = "context." + entry.getKey();
            Long counter = entry.getValue();
            if (!ring.nodes().contains(entry.getKey())) {
                throw ValidationProblem.invalid(field, "KnownNode", "names no replica " + ring.nodes()
                        + ": send the context of a read of this key unchanged", entry.getKey());
            }
            if (counter == null || counter < 0 || counter > VectorClock.MAX_CONTEXT_COUNTER) {
                throw ValidationProblem.invalid(field, "Range", "must be a counter from 0 to "
                        + VectorClock.MAX_CONTEXT_COUNTER + ": send the context of a read of this key unchanged",
                        counter);
            }
        }
        return VectorClock.of(context);
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
