package io.dtxlab.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.Targets;
import io.dtxlab.chaos.history.HistoryRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The replica service's master-slave side as the register and async workloads see it: which replica is master (and
 * which one the clients believe is), switching its mode, and what a write's answer says about the write
 * ({@code PUT /kv/{key}}, replica-service's {@code KvController}, {@code WriteRouter} and {@code MasterWriter}).
 * Thread-safe: the clients of a run share one.
 */
final class MasterSlave {

    static final String WRITES_REFUSED = "urn:dtx:problem:writes-refused";
    static final String NOT_MASTER = "urn:dtx:problem:not-master";
    static final String NO_SUCH_KEY = "urn:dtx:problem:no-such-key";
    /** Why a client sent nothing. */
    static final String NO_MASTER = "no master known: no majority of replicas names one";

    /**
     * The extension members of the {@code writes-refused} refusals made before the write touched the log: the
     * master's mode refusing it ({@code mode}, {@code syncFailure}: SYNC with REJECT while a slave is out of sync), a
     * master that does not hear a majority ({@code master} alone), a slave that does not hear its master
     * ({@code failover}), and a slave relaying its master's problem ({@code forwardedBy}). The refusals after the
     * entry was appended carry others: an undone SYNC write ({@code index}, {@code failed}: slaves may have applied
     * it), a deposed master ({@code epoch}: slaves may have acked it), a forward whose fate is unknown
     * ({@code outcome}); a restarted master not yet confirmed also carries {@code epoch} and is counted with them.
     */
    private static final Set<String> REFUSED_BEFORE_ACTING = Set.of("master", "mode", "syncFailure", "failover",
            "forwardedBy");

    /**
     * A replica that names itself or another as master.
     *
     * @param node the master's node id
     * @param epoch the epoch it is master of
     */
    record Master(String node, long epoch) {
    }

    private final Targets targets;
    private final Http http;
    private final ExecutorService askers;
    private final AtomicReference<Master> believed = new AtomicReference<>();

    MasterSlave(Targets targets, Http http) {
        if (targets.replicas().isEmpty()) {
            throw new IllegalArgumentException("no replica among the targets " + targets.urls().keySet());
        }
        this.targets = targets;
        this.http = http;
        // daemon threads: a runner that forgets the workload does not keep the JVM alive for them
        this.askers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "chaos-master-lookup");
            t.setDaemon(true);
            return t;
        });
    }

    /** The write's outcome, from its answer (on the master, or relayed by the slave that forwarded it). */
    static Outcome write(Http.Response r) {
        return Answers.outcome(r, 200, refused -> refused.status() == 409
                && NOT_MASTER.equals(Answers.problemType(refused))
                || refused.status() == 503 && WRITES_REFUSED.equals(Answers.problemType(refused))
                && refusedBeforeActing(refused));
    }

    /**
     * One write of {@code value} to {@code key} on the master this client side believes in, recorded as
     * {@code write} (invoke value: the value; ok value: the receipt), answers as {@link #write(Http.Response)} reads
     * them; the master is looked up again after any outcome but ok.
     */
    Outcome write(HistoryRecorder history, String process, String key, String value) {
        Master believed = believed();
        Outcome outcome = Clients.perform(history, process, "write", key, value, () -> believed == null
                ? new Outcome.Fail(NO_MASTER)
                : write(http.put(targets.url(believed.node()) + "/kv/" + key, Map.of("value", value))));
        relearnUnlessOk(outcome, believed);
        return outcome;
    }

    /** The master the clients believe in: the last one found, or one found now; null when none is found. */
    Master believed() {
        Master known = believed.get();
        return known != null ? known : relearn(null);
    }

    /** Sets the belief, e.g. to the master that took a mode. */
    void believe(Master master) {
        believed.set(master);
    }

    /** After an outcome but ok of a request to {@code asked}, the master is looked up again. */
    void relearnUnlessOk(Outcome outcome, Master asked) {
        if (!(outcome instanceof Outcome.Ok)) {
            relearn(asked);
        }
    }

    /** Looks the master up, unless another client already replaced {@code stale}; the belief after. */
    private Master relearn(Master stale) {
        Master now = believed.get();
        if (now != stale) {
            return now;
        }
        believed.compareAndSet(stale, find().orElse(null));
        return believed.get();
    }

    private static boolean refusedBeforeActing(Http.Response r) {
        Iterator<String> members = Answers.json(r).fieldNames();
        while (members.hasNext()) {
            String member = members.next();
            if (!Answers.STANDARD_PROBLEM_MEMBERS.contains(member) && !REFUSED_BEFORE_ACTING.contains(member)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The master of the newest epoch that a majority of the replicas know of: every replica is asked at once
     * ({@code GET /replication/status}), and the answer comes as soon as a majority answered (an election needs a
     * majority's grants, so a majority knows its epoch), or when every replica answered or timed out. Empty when no
     * majority answered or none names a known node.
     */
    Optional<Master> find() {
        List<String> replicas = targets.replicas();
        CompletionService<JsonNode> answers = new ExecutorCompletionService<>(askers);
        replicas.forEach(replica -> answers.submit(() -> {
            Http.Response r = http.get(targets.url(replica) + "/replication/status");
            return r.ok() ? Answers.json(r) : null;
        }));
        int majority = replicas.size() / 2 + 1;
        int answered = 0;
        Master newest = null;
        for (int i = 0; i < replicas.size() && answered < majority; i++) {
            JsonNode status = take(answers);
            if (status == null) {
                continue;
            }
            answered++;
            String master = status.path("master").asText("");
            long epoch = status.path("epoch").asLong(-1);
            if (targets.find(master).isPresent() && (newest == null || epoch > newest.epoch())) {
                newest = new Master(master, epoch);
            }
        }
        return answered < majority ? Optional.empty() : Optional.ofNullable(newest);
    }

    private static JsonNode take(CompletionService<JsonNode> answers) {
        try {
            return answers.take().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    /** A replica's {@code GET /replication/status}, or null when it does not answer 200. */
    JsonNode status(String replica) {
        Http.Response r = http.get(targets.url(replica) + "/replication/status");
        return r.ok() ? Answers.json(r) : null;
    }

    /**
     * Sets the master's mode ({@code PUT /admin/replication/settings}, admin token) and waits until every replica
     * applies it (slaves learn it from the master's heartbeats) and the master takes writes.
     *
     * @param mode {@code SYNC}, {@code SEMI_SYNC} or {@code ASYNC}
     * @param within how long to try
     * @return the master
     * @throws IllegalStateException when no master is found, it refuses the mode, or a replica does not apply it or
     *         the master does not take writes in time; the message names what is missing
     */
    Master switchMode(String mode, Duration within) {
        Deadline deadline = Deadline.after(within);
        List<String> tried = new ArrayList<>();
        Master master = deadline.poll(() -> {
            Optional<Master> found = find();
            if (found.isEmpty()) {
                tried.add("no majority of replicas names a master");
                return null;
            }
            Http.Response r = http.adminPut(targets.url(found.get().node()) + "/admin/replication/settings",
                    Map.of("mode", mode));
            if (r.ok()) {
                return found.get();
            }
            tried.add(found.get().node() + ": " + Answers.error(r));
            return null;
        });
        if (master == null) {
            throw new IllegalStateException("cannot set the replication mode " + mode + " within " + within + ": "
                    + tried.subList(Math.max(0, tried.size() - 3), tried.size()));
        }
        Map<String, String> notYet = new LinkedHashMap<>();
        Boolean applied = deadline.poll(() -> {
            notYet.clear();
            for (String replica : targets.replicas()) {
                JsonNode status = status(replica);
                if (status == null) {
                    notYet.put(replica, "no status");
                } else if (!mode.equals(status.path("settings").path("mode").asText())) {
                    notYet.put(replica, "mode " + status.path("settings").path("mode").asText());
                } else if (replica.equals(master.node()) && !"accepted".equals(status.path("writes").asText())) {
                    notYet.put(replica, "writes " + status.path("writes").asText());
                }
            }
            return notYet.isEmpty() ? Boolean.TRUE : null;
        });
        if (applied == null) {
            throw new IllegalStateException("master " + master.node() + " switched to " + mode + ", but within "
                    + within + " not every replica is ready: " + notYet);
        }
        return master;
    }
}
