package io.dtxlab.replica.quorum;

import io.dtxlab.core.quorum.HashRing;
import io.dtxlab.core.quorum.Quorum;
import io.dtxlab.core.quorum.QuorumTally;
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
 * answered, with the reconciliation of their versions: one version, or siblings. When every owner has answered
 * (or timed out), read repair sends each owner that answered with an older version the versions it lacks.
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
        List<String> owners = ring.preferenceList(key, quorum.n());
        QuorumTally tally = new QuorumTally(quorum.r());
        owners.forEach(tally::expect);
        Map<String, List<Version>> answers = new ConcurrentHashMap<>();
        CompletableFuture<Void> decided = new CompletableFuture<>();
        AtomicInteger messages = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<String> remoteFirst = new ArrayList<>(owners.stream().filter(o -> !replicas.isLocal(o)).toList());
        owners.stream().filter(replicas::isLocal).forEach(remoteFirst::add);
        for (String owner : remoteFirst) {
            if (!replicas.isLocal(owner)) {
                messages.incrementAndGet();
            }
            all.add(replicas.read(owner, key).whenComplete((versions, error) -> {
                boolean now;
                if (error == null) {
                    answers.put(owner, VersionBody.toVersions(versions.versions()));
                    now = tally.answer(owner);
                } else {
                    now = tally.fail(owner, Rounds.describe(error));
                }
                if (now) {
                    decided.complete(null);
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .handle((ok, error) -> repair(key, answers));
        boolean timedOut = !Rounds.await(decided, properties.requestTimeout().multipliedBy(2).toMillis()) && !tally.decided();
        int sent = messages.get();
        long nanos = System.nanoTime() - start;
        stats.request("read", "R=" + quorum.r(), tally.reached(), nanos, sent);
        if (!tally.reached()) {
            throw QuorumProblems.notReached("read", key, "R", quorum.r(), tally.answered(), tally.failed(), timedOut);
        }
        List<String> answered = tally.answered();
        List<Version> seen = new ArrayList<>();
        answered.forEach(node -> seen.addAll(answers.getOrDefault(node, List.of())));
        List<Version> siblings = Siblings.reconcile(seen);
        if (siblings.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no version of key '" + key + "' on the R="
                    + quorum.r() + " replica(s) that answered " + answered);
        }
        stats.siblingsRead(siblings.size());
        Version only = siblings.size() == 1 ? siblings.get(0) : null;
        return new ReadAnswer(key, only == null ? null : only.value(), only == null ? null : only.clock().counters(),
                VersionBody.of(siblings), Siblings.context(siblings).counters(), replicas.self(), quorum.n(),
                quorum.r(), answered, tally.failed(), sent, TimeUnit.NANOSECONDS.toMillis(nanos),
                !quorum.overlapping(), quorum.staleWarning());
    }

    /** Read repair: once every owner answered or failed, each one that answered gets what it lacks. */
    private Void repair(String key, Map<String, List<Version>> answers) {
        List<Version> everything = new ArrayList<>();
        answers.values().forEach(everything::addAll);
        List<Version> newest = Siblings.reconcile(everything);
        answers.forEach((node, versions) -> {
            List<Version> missing = Siblings.missing(newest, versions);
            if (!missing.isEmpty()) {
                log.info("quorum: read repair of key {}: {} answered {}, sending {}", key, node, versions, missing);
                stats.readRepair(missing.size());
                replicas.put(node, ReplicaChannel.READ_REPAIR, new ReplicaMessages.Put(key, VersionBody.of(missing), null))
                        .whenComplete((ack, error) -> {
                            if (error != null) {
                                log.info("quorum: read repair of key {} on {} failed: {}", key, node,
                                        Rounds.describe(error));
                            }
                        });
            }
        });
        return null;
    }
}
