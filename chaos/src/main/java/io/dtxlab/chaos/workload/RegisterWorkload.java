package io.dtxlab.chaos.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.dtxlab.bench.Http;
import io.dtxlab.bench.Targets;
import io.dtxlab.chaos.check.Checker;
import io.dtxlab.chaos.check.LinearizableRegisterChecker;
import io.dtxlab.chaos.history.HistoryRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

/**
 * Master-slave replication in SYNC mode as a set of linearizable registers: clients write unique values
 * ({@code c3-17}: the client and its count) to a few keys and read them, always on the replica they believe is master
 * ({@code PUT/GET /kv/{key}}), and re-learn the master from the replicas' {@code /replication/status} after any
 * answer that is not ok. {@link LinearizableRegisterChecker} judges the history.
 * <p>
 * A write is {@code ok} on 200 (its value the receipt), {@code fail} when the service refused before acting (see
 * {@link MasterSlave#write}) or the connection was refused, {@code info} otherwise. A read is {@code ok} only when the
 * master answered as master: a 200 whose {@code role} is MASTER (value: the value read), or a 404 no-such-key from a
 * replica that still says it is master of the epoch the client believed in (value: JSON null); anything else is
 * {@code info}, which the checker drops.
 */
public final class RegisterWorkload implements Workload {

    /** How many keys the clients share: few, so that operations on a key overlap. */
    public static final int KEYS = 3;
    /** How long {@link #prepare()} waits for the mode to reach every replica. */
    static final Duration PREPARE_WITHIN = Duration.ofSeconds(30);

    private final Targets targets;
    private final Http http;
    private final long seed;
    private final MasterSlave replicas;
    private final List<String> keys;

    /**
     * @param targets the cluster; its replicas ({@code replica-1..N}) are used
     * @param http the client, with a request timeout of a few seconds, and the admin token for the settings
     * @param seed the run's seed: which key each operation takes, and reads against writes
     */
    public RegisterWorkload(Targets targets, Http http, long seed) {
        this.targets = targets;
        this.http = http;
        this.seed = seed;
        this.replicas = new MasterSlave(targets, http);
        this.keys = RunNames.keys("r", KEYS);
    }

    @Override
    public String name() {
        return "register";
    }

    /** The keys this run writes, new in this run. */
    public List<String> keys() {
        return keys;
    }

    /**
     * Sets the master's mode to SYNC and waits up to 30 s until every replica applies it and the master takes writes.
     *
     * @throws IllegalStateException naming what is missing
     */
    @Override
    public void prepare() {
        replicas.believe(replicas.switchMode("SYNC", PREPARE_WITHIN));
    }

    /** Half writes, half reads, each on a random key; never throws. */
    @Override
    public void client(String process, HistoryRecorder history, BooleanSupplier running) {
        Random random = Clients.random(seed, process);
        long[] count = {0};
        Clients.loop(running, () -> {
            String key = keys.get(random.nextInt(keys.size()));
            return random.nextBoolean() ? write(process, history, key, process + "-" + ++count[0])
                    : read(process, history, key);
        });
    }

    /** One write of {@code value} to {@code key} on the believed master, recorded as {@code write}. */
    Outcome write(String process, HistoryRecorder history, String key, String value) {
        return replicas.write(history, process, key, value);
    }

    /** One read of {@code key} on the believed master, recorded as {@code read}. */
    Outcome read(String process, HistoryRecorder history, String key) {
        MasterSlave.Master believed = replicas.believed();
        Outcome outcome = Clients.perform(history, process, "read", key, null, () -> believed == null
                ? new Outcome.Fail(MasterSlave.NO_MASTER)
                : read(believed, http.get(targets.url(believed.node()) + "/kv/" + key)));
        replicas.relearnUnlessOk(outcome, believed);
        return outcome;
    }

    private Outcome read(MasterSlave.Master believed, Http.Response r) {
        if (r.status() == 200) {
            JsonNode answer = Answers.json(r);
            return "MASTER".equals(answer.path("role").asText()) ? new Outcome.Ok(answer.get("value"))
                    : new Outcome.Info(null, "read from " + answer.path("node").asText() + ", a "
                            + answer.path("role").asText() + ", not the master");
        }
        if (r.status() == 404 && MasterSlave.NO_SUCH_KEY.equals(Answers.problemType(r))) {
            // a 404 does not say who answered as what: ask whether it still leads the epoch believed in; epochs only
            // grow, so master of that epoch before and after the read, it was master during it
            JsonNode status = replicas.status(believed.node());
            boolean stillMaster = status != null && "MASTER".equals(status.path("role").asText())
                    && status.path("epoch").asLong() == believed.epoch();
            return stillMaster ? new Outcome.Ok(null)
                    : new Outcome.Info(null, "404 from " + believed.node() + ", which may no longer be master");
        }
        return new Outcome.Info(Answers.value(r), Answers.error(r));
    }

    /** A {@link LinearizableRegisterChecker} over registers that start without a value (the keys are new). */
    @Override
    public List<Checker> checkers(Duration settle) {
        return List.of(new LinearizableRegisterChecker());
    }
}
