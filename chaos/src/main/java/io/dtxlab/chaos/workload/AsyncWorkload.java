package io.dtxlab.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.Targets;
import io.dtxlab.chaos.check.Checker;
import io.dtxlab.chaos.check.LostWritesChecker;
import io.dtxlab.chaos.check.ReplicationSnapshot;
import io.dtxlab.chaos.history.HistoryRecorder;
import io.dtxlab.chaos.history.JsonLines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Master-slave replication in ASYNC mode, where a failover may lose acknowledged writes but must list them: clients
 * write unique values ({@code c3-17}) to a few keys on the replica they believe is master ({@code PUT /kv/{key}}),
 * answers classified as {@link MasterSlave#write} does. After the run the master's surviving log and its lost-writes
 * ledger, this run's keys only, go to {@link LostWritesChecker}.
 */
public final class AsyncWorkload implements Workload {

    /** How many keys the clients share. */
    public static final int KEYS = 3;
    /** Entries per page of the internal log endpoint (its maximum). */
    static final int PAGE = 10_000;
    /** The header the internal endpoints take the cluster token in (service-platform's {@code TokenHeaders}). */
    static final String CLUSTER_TOKEN = "X-Cluster-Token";
    /** How long {@link #prepare()} waits for the mode and for the slaves to catch up. */
    static final Duration PREPARE_WITHIN = Duration.ofSeconds(30);

    private final Targets targets;
    private final Http http;
    private final long seed;
    private final String clusterToken;
    private final MasterSlave replicas;
    private final String mode;
    private final List<String> keys;
    /** The last log index every replica had before the run: the run's entries come after it on any master. */
    private volatile long commonIndex;
    /** The master's epoch before the run: failovers of later epochs are the run's. */
    private volatile long epochAtStart;

    /**
     * @param targets the cluster; its replicas ({@code replica-1..N}) are used
     * @param http the client, with a request timeout of a few seconds, and the admin token for the settings
     * @param seed the run's seed: which key each write takes
     * @param clusterToken the cluster token, for reading the replication log ({@code /internal/replication/entries})
     */
    public AsyncWorkload(Targets targets, Http http, long seed, String clusterToken) {
        this(targets, http, seed, clusterToken, "ASYNC");
    }

    /**
     * @param mode {@code ASYNC}, or {@code SEMI_SYNC}, which degrades to asynchronous replication when its acks do
     *        not come in time, and so may lose acknowledged writes at a failover too; the workload's name is
     *        {@code async} or {@code semi-sync}
     */
    public AsyncWorkload(Targets targets, Http http, long seed, String clusterToken, String mode) {
        if (!mode.equals("ASYNC") && !mode.equals("SEMI_SYNC")) {
            throw new IllegalArgumentException("the lost-writes workload runs ASYNC or SEMI_SYNC, not " + mode);
        }
        this.mode = mode;
        if (clusterToken == null || clusterToken.isBlank()) {
            throw new IllegalArgumentException("the async workload reads the replication log, an internal endpoint: "
                    + "it needs the cluster token (./dtx token)");
        }
        this.targets = targets;
        this.http = http;
        this.seed = seed;
        this.clusterToken = clusterToken;
        this.replicas = new MasterSlave(targets, http);
        this.keys = RunNames.keys("a", KEYS);
    }

    @Override
    public String name() {
        return mode.equals("ASYNC") ? "async" : "semi-sync";
    }

    /** The keys this run writes, new in this run. */
    public List<String> keys() {
        return keys;
    }

    /**
     * Sets the master's mode (ASYNC or SEMI_SYNC), waits up to 30 s until every replica applies it and has caught up with the
     * master's log, and notes that log position and the master's epoch.
     *
     * @throws IllegalStateException naming what is missing
     */
    @Override
    public void prepare() {
        MasterSlave.Master m = replicas.switchMode(mode, PREPARE_WITHIN);
        replicas.believe(m);
        epochAtStart = m.epoch();
        List<String> behind = new ArrayList<>();
        Long common = Deadline.after(PREPARE_WITHIN).poll(() -> {
            behind.clear();
            JsonNode lead = replicas.status(m.node());
            if (lead == null) {
                behind.add(m.node() + " (the master) gives no status");
                return null;
            }
            long masterIndex = lead.path("appliedIndex").asLong();
            for (String replica : targets.replicas()) {
                JsonNode status = replicas.status(replica);
                if (status == null || status.path("appliedIndex").asLong() < masterIndex) {
                    behind.add(replica + (status == null ? " gives no status" : " at index "
                            + status.path("appliedIndex").asLong() + " of " + masterIndex));
                }
            }
            return behind.isEmpty() ? masterIndex : null;
        });
        if (common == null) {
            throw new IllegalStateException("the slaves did not catch up with master " + m.node() + " within "
                    + PREPARE_WITHIN + ": " + behind);
        }
        commonIndex = common;
    }

    /** Writes only, each on a random key; never throws. */
    @Override
    public void client(String process, HistoryRecorder history, BooleanSupplier running) {
        Random random = Clients.random(seed, process);
        long[] count = {0};
        Clients.loop(running, () -> write(process, history, keys.get(random.nextInt(keys.size())),
                process + "-" + ++count[0]));
    }

    /** One write of {@code value} to {@code key} on the believed master, recorded as {@code write}. */
    Outcome write(String process, HistoryRecorder history, String key, String value) {
        return replicas.write(history, process, key, value);
    }

    /**
     * Waits up to {@code settle} for a master that a majority names and whose ledger has no failover of this run
     * still unreconciled (the deposed master rejoins and reports what it lost), then reads that master's log after
     * the position noted in {@link #prepare()} and its ledger, this run's keys only.
     *
     * @throws IllegalStateException when no master is found or its log or ledger cannot be read
     */
    @Override
    public List<Checker> checkers(Duration settle) {
        return List.of(new LostWritesChecker(snapshot(settle)));
    }

    /** The surviving log and the ledger of this run's keys, once the run has settled (at most {@code settle}). */
    ReplicationSnapshot snapshot(Duration settle) {
        Deadline deadline = Deadline.after(settle);
        AtomicReference<Ledger> last = new AtomicReference<>();
        Ledger ledger = deadline.poll(() -> {
            Ledger found = replicas.find().map(this::ledger).orElse(null);
            if (found != null) {
                last.set(found);
            }
            return found != null && found.unreconciled().isEmpty() ? found : null;
        });
        if (ledger == null) {
            ledger = last.get();
        }
        if (ledger == null) {
            throw new IllegalStateException("no master to read the log from: within " + settle + " no majority of "
                    + "replicas named one that answers /replication/lost-writes");
        }
        return new ReplicationSnapshot(log(ledger.master()), ledger.lostWrites(), ledger.unreconciled());
    }

    /** A master's ledger: its lost writes and unreconciled failovers of this run. */
    private record Ledger(String master, List<ReplicationSnapshot.LostWrite> lostWrites, List<String> unreconciled) {
    }

    private Ledger ledger(MasterSlave.Master m) {
        Http.Response r = http.get(targets.url(m.node()) + "/replication/lost-writes");
        if (!r.ok()) {
            return null;
        }
        JsonNode answer = Answers.json(r);
        List<ReplicationSnapshot.LostWrite> lost = new ArrayList<>();
        for (JsonNode w : answer.path("lostWrites")) {
            ReplicationSnapshot.LostWrite write = JsonLines.convert(w, ReplicationSnapshot.LostWrite.class);
            if (ours(write.key())) {
                lost.add(write);
            }
        }
        List<String> unreconciled = new ArrayList<>();
        for (JsonNode u : answer.path("unreconciled")) {
            if (u.path("epoch").asLong() > epochAtStart) {
                unreconciled.add(u.path("note").asText(u.toString()));
            }
        }
        return new Ledger(m.node(), lost, unreconciled);
    }

    /** The master's log after the common position, this run's keys only, page by page. */
    private List<ReplicationSnapshot.LogEntry> log(String node) {
        List<ReplicationSnapshot.LogEntry> entries = new ArrayList<>();
        long from = commonIndex + 1;
        while (true) {
            Http.Response r = http.get(targets.url(node) + "/internal/replication/entries?from=" + from + "&limit="
                    + PAGE, Map.of(CLUSTER_TOKEN, clusterToken));
            if (!r.ok()) {
                throw new IllegalStateException("cannot read the replication log of " + node + " from index " + from
                        + ": " + Answers.error(r));
            }
            JsonNode page = Answers.json(r);
            long last = from - 1;
            for (JsonNode e : page) {
                ReplicationSnapshot.LogEntry entry = JsonLines.convert(e, ReplicationSnapshot.LogEntry.class);
                last = Math.max(last, entry.index());
                if (ours(entry.key())) {
                    entries.add(entry);
                }
            }
            if (page.size() < PAGE) {
                return entries;
            }
            from = last + 1;
        }
    }

    private boolean ours(String key) {
        return key != null && keys.contains(key);
    }
}
