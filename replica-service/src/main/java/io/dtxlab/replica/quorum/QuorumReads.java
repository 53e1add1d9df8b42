package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.HashRing;
import io.dtxlab.core.quorum.Quorum;
import io.dtxlab.core.quorum.QuorumTally;
import io.dtxlab.core.quorum.Siblings;
import io.dtxlab.core.quorum.Version;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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
        Round round = new Round(key, quorum.r(), ring.standIns(key, quorum.n()));
        round.start(ring.preferenceList(key, quorum.n()));
        QuorumTally tally = round.tally;
        boolean timedOut = !Rounds.await(round.decided, properties.requestTimeout().multipliedBy(2).toMillis())
                && !tally.decided();
        int sent = round.messages.get();
        long nanos = System.nanoTime() - start;
        stats.request("read", "R=" + quorum.r(), tally.reached(), nanos, sent);
        if (!tally.reached()) {
            throw QuorumProblems.notReached("read", key, "R", quorum.r(), tally.answered(), tally.failed(), timedOut);
        }
        List<String> answered = tally.answered();
        List<Version> seen = new ArrayList<>();
        answered.forEach(node -> seen.addAll(round.answers.getOrDefault(node, List.of())));
        List<Version> siblings = Siblings.reconcile(seen);
        if (siblings.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no version of key '" + key + "' on the R="
                    + quorum.r() + " replica(s) that answered " + answered);
        }
        stats.siblingsRead(siblings.size());
        Version only = siblings.size() == 1 ? siblings.get(0) : null;
        return new ReadAnswer(key, only == null ? null : only.value(), only == null ? null : only.clock().counters(),
                VersionBody.of(siblings), Siblings.context(siblings).counters(), replicas.self(), quorum.n(),
                quorum.r(), answered, round.standInsSoFar(), tally.failed(), sent,
                TimeUnit.NANOSECONDS.toMillis(nanos), !quorum.overlapping(), quorum.staleWarning());
    }

    /** One read's messages, their answers, and the read repair that follows them. */
    private final class Round {

        final String key;
        final QuorumTally tally;
        final Deque<String> standIns;
        final List<StandIn> standInsUsed = new ArrayList<>();
        final Map<String, List<Version>> answers = new ConcurrentHashMap<>();
        final AtomicInteger messages = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final CompletableFuture<Void> decided = new CompletableFuture<>();

        Round(String key, int r, List<String> standIns) {
            this.key = key;
            this.tally = new QuorumTally(r);
            this.standIns = new ArrayDeque<>(standIns);
        }

        void start(List<String> owners) {
            owners.forEach(tally::expect);
            inFlight.addAndGet(owners.size());
            // the remote owners first, so their messages are in flight while this node reads its own copy
            owners.stream().filter(o -> !replicas.isLocal(o)).forEach(o -> ask(o, null));
            owners.stream().filter(replicas::isLocal).forEach(o -> ask(o, null));
        }

        private void ask(String node, String hintsFor) {
            if (!replicas.isLocal(node)) {
                messages.incrementAndGet();
            }
            replicas.read(node, key, hintsFor).whenComplete((versions, error) -> {
                boolean now;
                if (error == null) {
                    if (hintsFor != null) {
                        standInAnswered(node, hintsFor);
                    }
                    answers.put(node, VersionBody.toVersions(versions.versions()));
                    now = tally.answer(node);
                } else {
                    String standIn = nextStandIn();
                    if (standIn != null) {
                        tally.expect(standIn); // before the failure is counted, so the round stays open for it
                        inFlight.incrementAndGet();
                        ask(standIn, hintsFor != null ? hintsFor : node);
                    }
                    now = tally.fail(node, Rounds.describe(error));
                }
                if (now) {
                    decided.complete(null);
                }
                if (inFlight.decrementAndGet() == 0) {
                    repair();
                }
            });
        }

        private synchronized String nextStandIn() {
            return standIns.pollFirst();
        }

        private synchronized void standInAnswered(String node, String owner) {
            standInsUsed.add(new StandIn(node, owner));
        }

        synchronized List<StandIn> standInsSoFar() {
            return List.copyOf(standInsUsed);
        }

        private synchronized boolean isStandIn(String node) {
            return standInsUsed.stream().anyMatch(s -> s.node().equals(node));
        }

        /** Read repair: every owner that answered gets the versions it lacks. Stand-ins get their hints handed off. */
        private void repair() {
            List<Version> everything = new ArrayList<>();
            answers.values().forEach(everything::addAll);
            List<Version> newest = Siblings.reconcile(everything);
            answers.forEach((node, versions) -> {
                List<Version> missing = Siblings.missing(newest, versions);
                if (missing.isEmpty() || isStandIn(node)) {
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
