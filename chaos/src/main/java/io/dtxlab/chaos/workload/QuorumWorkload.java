package io.dtxlab.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.Targets;
import io.dtxlab.chaos.check.Checker;
import io.dtxlab.chaos.check.QuorumChecker;
import io.dtxlab.chaos.history.HistoryRecorder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Dynamo-style quorums ({@code PUT/GET /quorum/kv/{key}} through a random replica, with the cluster's R and W),
 * recorded as {@link QuorumChecker} reads them: reads; blind writes (invoke value {@code {"value": v}}); and
 * read-then-writes, one {@code write} operation invoked before its read, invoke value
 * {@code {"value": v, "context": {}}}: the empty context stands for the one the read will give, which the write
 * sends. Values are unique per key ({@code c3-17}).
 * <p>
 * A read is {@code ok} on 200 or 300 (value: the answer, siblings and all) and on the service's 404 for a key no
 * replica that answered holds (value: JSON null); anything else is {@code info}. A write is {@code ok} on 200 (value:
 * the answer, with its dot); {@code fail} on a 4xx or a 503 for too few replicas on the ring (refused before anything
 * was written) or a refused connection; {@code info} on 503/504 quorum-not-reached (the replicas that took it keep
 * it), a timeout or another 5xx. A read-then-write whose read fails, finds nothing, or may be stale (its answer says
 * {@code staleReadsPossible}: stand-ins answered) writes nothing and is a {@code fail}: a context from a sloppy read
 * could miss an acknowledged write, and the checker would blame the write for the siblings that follow.
 */
public final class QuorumWorkload implements Workload {

    /** How many keys the clients share. */
    public static final int KEYS = 3;
    /** The service's defaults when no answer said otherwise: N=3, R=2, W=2 ({@code dtx.quorum.*}). */
    static final int DEFAULT_N = 3;
    static final int DEFAULT_R = 2;
    static final int DEFAULT_W = 2;
    static final String TOO_FEW_REPLICAS = "urn:dtx:problem:quorum-too-few-replicas";

    private final Targets targets;
    private final Http http;
    private final long seed;
    private final List<String> keys;
    private final String probeKey;
    private volatile int n = DEFAULT_N;
    private final Integer askR;
    private final Integer askW;
    private volatile int r = DEFAULT_R;
    private volatile int w = DEFAULT_W;

    /**
     * @param targets the cluster; its replicas ({@code replica-1..N}) coordinate the requests, one at random each
     * @param http the client, with a request timeout of a few seconds
     * @param seed the run's seed: which replica, key and kind of operation each one takes
     */
    public QuorumWorkload(Targets targets, Http http, long seed) {
        this(targets, http, seed, null, null);
    }

    /**
     * @param askR the R every read asks for ({@code ?r=}), 1..N; null for the cluster's default
     * @param askW the W every write asks for ({@code ?w=}), 1..N; null for the cluster's default
     */
    public QuorumWorkload(Targets targets, Http http, long seed, Integer askR, Integer askW) {
        this.askR = askR;
        this.askW = askW;
        if (targets.replicas().isEmpty()) {
            throw new IllegalArgumentException("no replica among the targets " + targets.urls().keySet());
        }
        this.targets = targets;
        this.http = http;
        this.seed = seed;
        this.keys = RunNames.keys("q", KEYS);
        // the probe's key shares the run's tag, and no client writes it
        this.probeKey = keys.get(0).replaceAll("q1$", "probe");
    }

    @Override
    public String name() {
        return "quorum";
    }

    /** The keys this run writes, new in this run. */
    public List<String> keys() {
        return keys;
    }

    /**
     * Writes and reads a probe key of its own (not one the clients use) to learn the cluster's N, W and R from the
     * answers.
     *
     * @throws IllegalStateException when the probe write or read is not answered 200, with the answer
     */
    @Override
    public void prepare() {
        String via = targets.url(targets.replicas().get(0));
        Http.Response write = http.put(writeUrl(targets.replicas().get(0), probeKey), Map.of("value", "probe"));
        if (write.status() != 200) {
            throw new IllegalStateException("the quorum probe write through " + targets.replicas().get(0)
                    + " failed: " + Answers.error(write) + "; is every replica up (./dtx status)?");
        }
        Http.Response read = http.get(readUrl(targets.replicas().get(0), probeKey));
        if (read.status() != 200) {
            throw new IllegalStateException("the quorum probe read through " + targets.replicas().get(0)
                    + " failed: " + Answers.error(read));
        }
        JsonNode written = Answers.json(write);
        JsonNode answer = Answers.json(read);
        n = written.path("n").asInt(DEFAULT_N);
        w = written.path("w").asInt(DEFAULT_W);
        r = answer.path("r").asInt(DEFAULT_R);
    }

    /** 40 % reads, 30 % blind writes, 30 % read-then-writes, each on a random key through a random replica. */
    @Override
    public void client(String process, HistoryRecorder history, BooleanSupplier running) {
        Random random = Clients.random(seed, process);
        long[] count = {0};
        Clients.loop(running, () -> {
            String key = keys.get(random.nextInt(keys.size()));
            String via = targets.replicas().get(random.nextInt(targets.replicas().size()));
            int kind = random.nextInt(10);
            if (kind < 4) {
                return read(process, history, via, key);
            }
            String value = process + "-" + ++count[0];
            return kind < 7 ? blindWrite(process, history, via, key, value)
                    : readThenWrite(process, history, via, key, value);
        });
    }

    /** One read through {@code via}, recorded as {@code read}. */
    Outcome read(String process, HistoryRecorder history, String via, String key) {
        return Clients.perform(history, process, "read", key, null, () -> {
            Http.Response answer = http.get(readUrl(via, key));
            if (answer.status() == 200 || answer.status() == 300) {
                return new Outcome.Ok(Answers.value(answer));
            }
            if (isNoVersion(answer)) {
                return new Outcome.Ok(null);
            }
            return new Outcome.Info(Answers.value(answer), Answers.error(answer));
        });
    }

    /** One write without a context through {@code via}, recorded as {@code write} with {@code {"value": v}}. */
    Outcome blindWrite(String process, HistoryRecorder history, String via, String key, String value) {
        Map<String, Object> body = Map.of("value", value);
        return Clients.perform(history, process, "write", key, body, () -> write(http.put(writeUrl(via, key), body)));
    }

    /**
     * One read and a write with its context through {@code via}, recorded as one {@code write} invoked before the
     * read, with {@code {"value": v, "context": {}}}.
     */
    Outcome readThenWrite(String process, HistoryRecorder history, String via, String key, String value) {
        Map<String, Object> request = Map.of("value", value, "context", Map.of());
        return Clients.perform(history, process, "write", key, request, () -> {
            Http.Response read = http.get(readUrl(via, key));
            if (read.status() != 200 && read.status() != 300) {
                return new Outcome.Fail("the read before the write " + (isNoVersion(read) ? "found no version"
                        : "failed: " + Answers.error(read)) + "; nothing written");
            }
            JsonNode answer = Answers.json(read);
            if (answer.path("staleReadsPossible").asBoolean(false)) {
                return new Outcome.Fail("the read before the write may be stale (" + answer.path("warning").asText()
                        + "); nothing written");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("value", value);
            body.put("context", answer.path("context"));
            return write(http.put(writeUrl(via, key), body));
        });
    }

    private static Outcome write(Http.Response answer) {
        return Answers.outcome(answer, 200, refused -> refused.status() == 503
                && TOO_FEW_REPLICAS.equals(Answers.problemType(refused)));
    }

    /** The service's 404 for a key that no replica that answered holds, not a 404 for another reason. */
    private static boolean isNoVersion(Http.Response answer) {
        return answer.status() == 404 && Answers.json(answer).path("detail").asText("").startsWith("no version");
    }

    private String readUrl(String via, String key) {
        return targets.url(via) + "/quorum/kv/" + key + (askR == null ? "" : "?r=" + askR);
    }

    private String writeUrl(String via, String key) {
        return targets.url(via) + "/quorum/kv/" + key + (askW == null ? "" : "?w=" + askW);
    }

    /** N, R and W as {@link #prepare()} learnt them (the service's defaults before it). */
    List<Integer> nrw() {
        return List.of(n, r, w);
    }

    /** A {@link QuorumChecker} with the N, R and W {@link #prepare()} learnt (the service's defaults before it). */
    @Override
    public List<Checker> checkers(Duration settle) {
        return List.of(new QuorumChecker(n, r, w));
    }
}
