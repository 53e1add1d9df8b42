package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.HashRing;
import io.dtxlab.core.quorum.Quorum;
import io.dtxlab.core.quorum.QuorumRound;
import io.dtxlab.core.quorum.Siblings;
import io.dtxlab.core.quorum.Version;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;

/**
 * Coordinates quorum reads. The coordinator asks all N owners of the key at once and answers as soon as R have
 * answered, with the reconciliation of their versions: one version, or siblings. An owner that does not answer is
 * replaced by the next stand-in on the ring, which answers with the hints it holds for that owner. When every
 * message has been answered (or has failed), read repair sends each owner that answered with an older version
 * the versions it lacks.
 */
@Component
class QuorumReads {

    private static final Logger log = LoggerFactory.getLogger(QuorumReads.class);

    private final HashRing ring;
    private final QuorumProperties properties;
    private final ReplicaChannel replicas;
    private final QuorumStats stats;

    QuorumReads(HashRing ring, QuorumProperties properties, ReplicaChannel replicas, QuorumStats stats) {
        this.ring = ring;
        this.properties = properties;
        this.replicas = replicas;
        this.stats = stats;
    }

    ReadAnswer read(String key, Integer r) {
        long start = System.nanoTime();
        Quorum quorum = new Quorum(properties.n(), r == null ? properties.r() : r, properties.w());
        if (ring.nodes().size() < quorum.n()) {
            throw QuorumProblems.tooFewReplicas(quorum.n(), ring.nodes().size());
        }
        Round read = new Round(key, quorum.r(), ring.preferenceList(key, quorum.n()), ring.standIns(key, quorum.n()));
        read.start();
        QuorumRound round = read.round;
        boolean timedOut = !Rounds.await(read.decided, properties.requestTimeout().multipliedBy(2).toMillis())
                && !round.decided();
        int sent = read.messages.get();
        long nanos = System.nanoTime() - start;
        stats.request("read", "R=" + quorum.r(), round.reached(), nanos, sent);
        if (!round.reached()) {
            throw QuorumProblems.notReached("read", key, "R", quorum.r(), round.answered(), round.failed(), timedOut);
        }
        List<String> answered = round.answered();
        List<Version> seen = new ArrayList<>();
        answered.forEach(node -> seen.addAll(read.answers.getOrDefault(node, List.of())));
        List<Version> siblings = Siblings.reconcile(seen);
        if (siblings.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no version of key '" + key + "' on the R="
                    + quorum.r() + " replica(s) that answered " + answered);
        }
        stats.siblingsRead(siblings.size());
        Version only = siblings.size() == 1 ? siblings.get(0) : null;
        List<StandIn> standIns = read.standIns();
        List<String> standInNodes = standIns.stream().map(StandIn::node).toList();
        return new ReadAnswer(key, only == null ? null : only.value(), only == null ? null : only.clock().counters(),
                VersionBody.of(siblings), Siblings.context(siblings).counters(), replicas.self(), quorum.n(),
                quorum.r(), answered, standIns, round.failed(), sent, TimeUnit.NANOSECONDS.toMillis(nanos),
                !quorum.overlapping() || !standIns.isEmpty(), quorum.staleWarning(standInNodes));
    }

    /** One read's messages, their answers, and the read repair that follows them. */
    private final class Round {

        final String key;
        final QuorumRound round;
        final Map<String, List<Version>> answers = new ConcurrentHashMap<>();
        final AtomicInteger messages = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final CompletableFuture<Void> decided = new CompletableFuture<>();

        Round(String key, int r, List<String> owners, List<String> standIns) {
            this.key = key;
            this.round = new QuorumRound(owners, standIns, r);
        }

        void start() {
            List<QuorumRound.Send> sends = round.start();
            inFlight.addAndGet(sends.size());
            // this node's own copy first: it answers at once, so R=1 through an owner reads that owner's copy (as
            // Dynamo does), and the outcome never depends on which remote answer happens to win a race
            sends.stream().filter(s -> replicas.isLocal(s.node())).forEach(this::ask);
            sends.stream().filter(s -> !replicas.isLocal(s.node())).forEach(this::ask);
        }

        private void ask(QuorumRound.Send send) {
            if (!replicas.isLocal(send.node())) {
                messages.incrementAndGet();
            }
            replicas.read(send.node(), key, send.hintFor()).whenComplete((versions, error) -> {
                if (error == null) {
                    answers.put(send.node(), VersionBody.toVersions(versions.versions()));
                    round.answer(send.node());
                } else {
                    round.fail(send.node(), Rounds.describe(error)).ifPresent(standIn -> {
                        inFlight.incrementAndGet();
                        ask(standIn);
                    });
                }
                if (round.decided()) {
                    decided.complete(null);
                }
                if (inFlight.decrementAndGet() == 0) {
                    repair();
                }
            });
        }

        List<StandIn> standIns() {
            return StandIn.of(round.standInsAnswered());
        }

        /** Read repair: every owner that answered gets the versions it lacks; stand-ins get theirs by handoff. */
        private void repair() {
            List<Version> everything = new ArrayList<>();
            answers.values().forEach(everything::addAll);
            List<Version> newest = Siblings.reconcile(everything);
            answers.forEach((node, versions) -> {
                List<Version> missing = Siblings.missing(newest, versions);
                if (missing.isEmpty() || round.isStandIn(node)) {
                    return;
                }
                log.info("quorum: read repair of key {}: {} answered {}, sending {}", key, node, versions, missing);
                stats.readRepair(missing.size());
                replicas.put(node, ReplicaChannel.READ_REPAIR, new ReplicaMessages.Put(key, VersionBody.of(missing), null))
                        .whenComplete((ack, error) -> {
                            if (error != null) {
                                log.info("quorum: read repair of key {} on {} failed: {}", key, node,
                                        Rounds.describe(error));
                            }
                        });
            });
        }
    }
}
