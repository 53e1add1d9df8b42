package io.dtxlab.coordinator.transaction;

import io.dtxlab.core.commit.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The coordinator's metrics: {@code dtx.transactions} (by protocol and outcome: COMMIT, ABORT, and for NONE also
 * PARTIAL), {@code dtx.tx.phase} (latency of voting and of phase 2; NONE: of its one apply phase),
 * {@code dtx.tx.messages} (participant messages per protocol; a failure-free 2PC adds 4n, 3PC 6n, NONE 2n),
 * {@code dtx.tx.consensus.messages} (Paxos messages the log records of finished transactions cost; NONE adds 0),
 * {@code dtx.tx.ended} (finished transactions: counted at the same moment as their messages, so the two divide
 * exactly into messages per transaction over any window). Timers publish histogram buckets
 * ({@link io.dtxlab.platform.metrics.LatencyBuckets}).
 * The gauges {@code dtx.tx.in.doubt} and {@code dtx.tx.awaiting.ack} live with {@link Transactions}; participants
 * time how long they held their locks ({@code dtx.branch.lock.held}).
 */
@Component
class CoordinatorMetrics {

    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    CoordinatorMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** The decision is durable (NONE: every apply answer is in); {@code voting} is phase 1 (NONE: the apply). */
    void decided(TransactionRun run, Duration voting) {
        String outcome = run.outcome().orElseThrow();
        counter("dtx.transactions", "Global transactions decided, by protocol and outcome",
                "protocol", run.protocol().label(), "outcome", outcome).increment();
        timer(run.protocol().isAtomic() ? "voting" : "apply", run.protocol().label()).record(voting);
    }

    void ended(TransactionRun run) {
        if (run.protocol().isAtomic()) {
            String phase = run.decision().orElseThrow() == Decision.COMMIT ? "commit" : "abort";
            run.lastPhase().ifPresent(took -> timer(phase, run.protocol().label()).record(took));
        }
        counter("dtx.tx.ended", "Transactions finished (every participant answered the last phase), by protocol",
                "protocol", run.protocol().label()).increment();
        counter("dtx.tx.messages", "Participant messages of finished transactions, by protocol",
                "protocol", run.protocol().label()).increment(run.messages());
        counter("dtx.tx.consensus.messages", "Consensus (Paxos) messages the log records of finished transactions "
                + "cost, by protocol", "protocol", run.protocol().label()).increment(run.consensusMessages());
    }

    private Timer timer(String phase, String protocol) {
        return timers.computeIfAbsent(phase + "|" + protocol, k -> Timer.builder("dtx.tx.phase")
                .description("How long each phase of a global transaction took")
                .tag("phase", phase).tag("protocol", protocol)
                .register(meters));
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(name + String.join("|", tags),
                k -> Counter.builder(name).description(description).tags(tags).register(meters));
    }
}
