package io.dtxlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Dynamo-style quorums: {@code PUT /quorum/kv/{key}?w=W} and {@code GET /quorum/kv/{key}?r=R}, each through a
 * random replica (any replica coordinates). The newest causal context seen for each key, from reads and writes,
 * goes with the next write of it, so writes supersede what they have seen instead of piling up siblings. A 300
 * read (siblings) is a success; siblings are counted. Outcomes: OK, NOT_FOUND, UNAVAILABLE (503), CLIENT_ERROR,
 * ERROR (504 and other 5xx included).
 */
public final class QuorumWorkload implements Workload {

    /**
     * @param r answers a read waits for, or null for the cluster's default
     * @param w acknowledgements a write waits for, or null for the cluster's default
     */
    public record Spec(Integer r, Integer w, double readFraction, int keys, int valueSize) {
        public Spec {
            if ((r != null && r < 1) || (w != null && w < 1)) {
                throw new IllegalArgumentException("--r and --w must be at least 1");
            }
            KvWorkload.checkCommon(readFraction, keys, valueSize, 16384);
        }

        /** {@code R2W2}; {@code R-} for the cluster's default. */
        public String label() {
            return "R" + (r == null ? "-" : r) + "W" + (w == null ? "-" : w);
        }
    }

    private final Targets targets;
    private final Http http;
    private final Spec spec;
    private final Map<String, JsonNode> contexts = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong siblingReads = new AtomicLong();
    private final AtomicLong siblings = new AtomicLong();
    private final AtomicInteger replicasPerKey = new AtomicInteger();

    public QuorumWorkload(Targets targets, Http http, Spec spec) {
        this.targets = targets;
        this.http = http;
        this.spec = spec;
    }

    @Override
    public String name() {
        return "quorum";
    }

    @Override
    public String label() {
        return spec.label();
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("r", spec.r());
        p.put("w", spec.w());
        p.put("n", replicasPerKey.get() == 0 ? null : replicasPerKey.get());
        p.put("readFraction", spec.readFraction());
        p.put("keys", spec.keys());
        p.put("valueSize", spec.valueSize());
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

    @Override
    public Map<String, Object> prepare() {
        return Map.of();
    }

    static String key(int n) {
        return KvWorkload.key(n);
    }

    @Override
    public Result call(RandomGenerator random) {
        String key = key(1 + random.nextInt(spec.keys()));
        List<String> replicas = targets.replicas();
        String via = targets.url(replicas.get(random.nextInt(replicas.size())));
        if (random.nextDouble() < spec.readFraction()) {
            Http.Response r = http.get(via + "/quorum/kv/" + key + (spec.r() == null ? "" : "?r=" + spec.r()));
            if (r.status() == 200 || r.status() == 300) {
                JsonNode answer = r.json();
                remember(key, answer.path("context"));
                replicasPerKey.compareAndSet(0, answer.path("n").asInt());
                if (r.status() == 300) {
                    siblingReads.incrementAndGet();
                    siblings.addAndGet(answer.path("siblings").size());
                }
                return new Result("read", Outcomes.OK);
            }
            return new Result("read", r.status() == 404 ? Outcomes.NOT_FOUND : Outcomes.failure(r));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", KvWorkload.value(writes.incrementAndGet(), spec.valueSize()));
        JsonNode context = contexts.get(key);
        if (context != null) {
            body.put("context", context);
        }
        Http.Response r = http.put(via + "/quorum/kv/" + key + (spec.w() == null ? "" : "?w=" + spec.w()), body);
        if (r.status() == 200) {
            JsonNode answer = r.json();
            remember(key, answer.path("clock"));
            replicasPerKey.compareAndSet(0, answer.path("n").asInt());
            return new Result("write", Outcomes.OK);
        }
        return new Result("write", Outcomes.failure(r));
    }

    private void remember(String key, JsonNode clock) {
        if (clock.isObject() && !clock.isEmpty()) {
            contexts.put(key, clock);
        }
    }

    /** Reads back up to 100 written keys with R = N: every read must succeed; siblings are reported. */
    @Override
    public Map<String, Object> audit(long sent) {
        int n = replicasPerKey.get() > 0 ? replicasPerKey.get() : Math.min(3, targets.replicas().size());
        List<String> sample = new ArrayList<>(contexts.keySet()).subList(0, Math.min(100, contexts.size()));
        int ok = 0;
        int conflicted = 0;
        List<String> failures = new ArrayList<>();
        String via = targets.url(targets.replicas().get(0));
        for (String key : sample) {
            Http.Response r = http.get(via + "/quorum/kv/" + key + "?r=" + n);
            if (r.status() == 200 || r.status() == 300) {
                ok++;
                conflicted += r.status() == 300 ? 1 : 0;
            } else if (failures.size() < 5) {
                failures.add(key + ": " + r.describe());
            }
        }
        boolean consistent = ok == sample.size();
        Map<String, Object> audit = new LinkedHashMap<>();
        audit.put("consistent", consistent);
        audit.put("readBackR", n);
        audit.put("keysChecked", sample.size());
        audit.put("keysWithSiblings", conflicted);
        audit.put("siblingReadsDuringRun", siblingReads.get());
        audit.put("siblingsSeenDuringRun", siblings.get());
        audit.put("failures", failures);
        audit.put("summary", consistent ? "consistent: " + ok + " written keys read back with R=" + n + " ("
                + conflicted + " with siblings)" : "INCONSISTENT: " + (sample.size() - ok) + " of " + sample.size()
                + " written keys could not be read back with R=" + n + ", e.g. " + failures);
        return audit;
    }

    @Override
    public Map<String, Object> messages(MetricsDelta delta, LatencyRecorder recorder) {
        Map<String, Object> m = KvWorkload.replicaMessages(delta,
                recorder.successesByOperation().getOrDefault("write", 0L), recorder.successes());
        m.put("siblingReads", siblingReads.get());
        return m;
    }
}
