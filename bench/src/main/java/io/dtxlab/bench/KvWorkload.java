package io.dtxlab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Master-slave replication: writes {@code PUT /kv/{key}} on the master, reads {@code GET /kv/{key}} from random
 * replicas. The mode is switched on the master before the run. Outcomes: OK, NOT_FOUND (a read of a key not
 * written yet: a success), UNAVAILABLE (503), CLIENT_ERROR, ERROR. Operations: {@code read}, {@code write}.
 */
public final class KvWorkload implements Workload {

    /** Kinds that are not a write's cost: timers, probes and the bench's own reads. */
    static final Set<String> BACKGROUND_KINDS = Set.of("heartbeat", "ping", "audit", "state-request", "epochs");

    /**
     * @param mode SYNC, SEMI_SYNC or ASYNC
     * @param readFraction the share of reads, 0..1
     * @param keys how many keys ({@code bench-00001}..) requests pick from, uniformly
     * @param valueSize characters per written value (at most 4096)
     */
    public record Spec(String mode, double readFraction, int keys, int valueSize) {
        public Spec {
            mode = mode.toUpperCase(Locale.ROOT);
            if (!Set.of("SYNC", "SEMI_SYNC", "ASYNC").contains(mode)) {
                throw new IllegalArgumentException("--mode must be SYNC, SEMI_SYNC or ASYNC, was " + mode);
            }
            checkCommon(readFraction, keys, valueSize, 4096);
        }
    }

    static void checkCommon(double readFraction, int keys, int valueSize, int maxValue) {
        if (!(readFraction >= 0 && readFraction <= 1)) {
            throw new IllegalArgumentException("--read-fraction must be between 0 and 1, was " + readFraction);
        }
        if (keys < 1) {
            throw new IllegalArgumentException("--keys must be at least 1, was " + keys);
        }
        if (valueSize < 16 || valueSize > maxValue) {
            throw new IllegalArgumentException("--value-size must be between 16 and " + maxValue + ", was " + valueSize);
        }
    }

    private final Targets targets;
    private final Http http;
    private final Spec spec;
    private final Duration settle;
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    private final AtomicLong writes = new AtomicLong();
    private volatile String master;

    public KvWorkload(Targets targets, Http http, Spec spec, Duration settle) {
        this.targets = targets;
        this.http = http;
        this.spec = spec;
        this.settle = settle;
    }

    @Override
    public String name() {
        return "kv";
    }

    @Override
    public String label() {
        return spec.mode();
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("mode", spec.mode());
        p.put("readFraction", spec.readFraction());
        p.put("keys", spec.keys());
        p.put("valueSize", spec.valueSize());
        p.put("master", master);
        return p;
    }

    @Override
    public Set<String> successes() {
        return Set.of(Outcomes.OK, Outcomes.NOT_FOUND);
    }

    @Override
    public Set<String> errors() {
        return Set.of(Outcomes.UNAVAILABLE, Outcomes.CLIENT_ERROR, Outcomes.ERROR);
    }

    static String key(int n) {
        return String.format(Locale.ROOT, "bench-%05d", n);
    }

    @Override
    public Map<String, Object> prepare() {
        master = findMaster();
        Http.Response r = http.adminPut(targets.url(master) + "/admin/replication/settings", Map.of("mode", spec.mode()));
        if (!r.ok()) {
            throw new IllegalStateException("cannot switch " + master + " to " + spec.mode() + ": " + r.describe());
        }
        return Map.of("master", master, "settings", r.json());
    }

    private String findMaster() {
        List<String> answers = new ArrayList<>();
        for (String replica : targets.replicas()) {
            Http.Response r = http.get(targets.url(replica) + "/replication/status");
            if (r.ok()) {
                String named = r.json().path("master").asText();
                if (targets.find(named).isPresent()) {
                    return named;
                }
                answers.add(replica + " names master '" + named + "'");
            } else {
                answers.add(replica + ": " + r.describe());
            }
        }
        throw new IllegalStateException("no replica names a master we can reach: " + answers);
    }

    @Override
    public Result call(RandomGenerator random) {
        String key = key(1 + random.nextInt(spec.keys()));
        if (random.nextDouble() < spec.readFraction()) {
            List<String> replicas = targets.replicas();
            Http.Response r = http.get(targets.url(replicas.get(random.nextInt(replicas.size()))) + "/kv/" + key);
            return new Result("read", r.status() == 200 ? Outcomes.OK : r.status() == 404 ? Outcomes.NOT_FOUND
                    : Outcomes.failure(r));
        }
        String value = value(writes.incrementAndGet(), spec.valueSize());
        written.add(key);
        Http.Response r = http.put(targets.url(master) + "/kv/" + key, Map.of("value", value));
        return new Result("write", r.status() == 200 ? Outcomes.OK : Outcomes.failure(r));
    }

    /** A value of exactly {@code size} characters that names its write, so replicas are compared on what was written. */
    static String value(long n, int size) {
        String head = "w" + n + "-";
        StringBuilder b = new StringBuilder(size).append(head);
        while (b.length() < size) {
            b.append('x');
        }
        return b.substring(0, size);
    }

    /**
     * Waits until every slave has applied the master's last index (as long as they keep catching up), then compares
     * every written key on every replica with the master's value.
     */
    @Override
    public Map<String, Object> audit(long sent) {
        Map<String, Object> audit = new LinkedHashMap<>();
        Http.Response status = http.get(targets.url(master) + "/replication/status");
        if (!status.ok()) {
            audit.put("consistent", false);
            audit.put("summary", "INCONSISTENT: cannot read the master's status: " + status.describe());
            return audit;
        }
        long masterIndex = status.json().path("appliedIndex").asLong();
        Map<String, Long> applied = new LinkedHashMap<>();
        // ASYNC slaves may trail a busy master by many seconds: wait as long as they keep catching up, and give up
        // only when none advanced for the settle time (or after ten of them in all)
        long start = System.nanoTime();
        long stalledSince = start;
        long hardStop = start + settle.toNanos() * 10;
        long progress = -1;
        boolean converged;
        do {
            converged = true;
            long sum = 0;
            for (String replica : targets.replicas()) {
                Http.Response r = http.get(targets.url(replica) + "/replication/status");
                long index = r.ok() ? r.json().path("appliedIndex").asLong() : -1;
                applied.put(replica, index);
                converged &= index >= masterIndex;
                sum += index;
            }
            long now = System.nanoTime();
            if (sum > progress) {
                progress = sum;
                stalledSince = now;
            }
            if (!converged) {
                OrdersWorkload.sleep(200);
            }
        } while (!converged && System.nanoTime() - stalledSince < settle.toNanos() && System.nanoTime() < hardStop);
        long convergedAfterMs = (System.nanoTime() - start) / 1_000_000;
        Map<String, Map<String, String>> entries = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String replica : targets.replicas()) {
            Http.Response r = http.get(targets.url(replica) + "/kv?limit=100000");
            if (!r.ok()) {
                problems.add(replica + " did not list its keys: " + r.describe());
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            r.json().path("entries").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
            entries.put(replica, values);
        }
        Map<String, String> reference = entries.getOrDefault(master, Map.of());
        int mismatches = 0;
        List<String> examples = new ArrayList<>();
        for (String key : written) {
            for (Map.Entry<String, Map<String, String>> e : entries.entrySet()) {
                String v = e.getValue().get(key);
                String expected = reference.get(key);
                if (v == null ? expected != null : !v.equals(expected)) {
                    mismatches++;
                    if (examples.size() < 5) {
                        examples.add(key + " on " + e.getKey() + ": " + abbreviate(v) + " vs master " + abbreviate(expected));
                    }
                }
            }
        }
        if (!converged) {
            problems.add("slaves still behind the master's index " + masterIndex + " after " + convergedAfterMs
                    + " ms (stalled, or too slow to catch up): " + applied);
        }
        if (mismatches > 0) {
            problems.add(mismatches + " values differ from the master's, e.g. " + examples);
        }
        boolean consistent = problems.isEmpty();
        audit.put("consistent", consistent);
        audit.put("converged", converged);
        audit.put("convergedAfterMs", converged ? convergedAfterMs : null);
        audit.put("masterIndex", masterIndex);
        audit.put("appliedIndex", applied);
        audit.put("keysChecked", written.size());
        audit.put("mismatches", mismatches);
        audit.put("summary", consistent ? "consistent: every replica applied index " + masterIndex + " ("
                + convergedAfterMs + " ms after the load) and holds the same " + written.size() + " keys" : "INCONSISTENT: " + String.join("; ", problems));
        return audit;
    }

    private static String abbreviate(String v) {
        return v == null ? "(none)" : v.length() > 20 ? v.substring(0, 20) + "…" : v;
    }

    @Override
    public Map<String, Object> messages(MetricsDelta delta, LatencyRecorder recorder) {
        return replicaMessages(delta, recorder.successesByOperation().getOrDefault("write", 0L), recorder.successes());
    }

    /**
     * Requests the replicas sent one another, by kind, and per successful write and per successful request
     * (background kinds left out; reads cost messages too under quorums).
     */
    static Map<String, Object> replicaMessages(MetricsDelta delta, long writes, long requests) {
        Map<String, Double> wire = delta.totalBy("dtx_messages_seconds_count", "kind");
        double cost = wire.entrySet().stream().filter(e -> !BACKGROUND_KINDS.contains(e.getKey()))
                .mapToDouble(Map.Entry::getValue).sum();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("successfulWrites", writes);
        m.put("successfulRequests", requests);
        m.put("wireRequestsPerWrite", MetricsDelta.ratio(cost, writes));
        m.put("wireRequestsPerRequest", MetricsDelta.ratio(cost, requests));
        m.put("wireRequestsByKind", OrdersWorkload.rounded(wire));
        m.put("backgroundKinds", BACKGROUND_KINDS.stream().sorted().toList());
        return m;
    }

}
