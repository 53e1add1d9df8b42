package io.dtxlab.replica.replication;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** Replication on {@code /actuator/prometheus}: role, epoch, applied index, lag, and entries by path. */
@Component
class ReplicationMetrics {

    ReplicationMetrics(ReplicaState state, MeterRegistry meters) {
        Gauge.builder("dtx.replication.master", state, s -> s.isMaster() ? 1 : 0)
                .description("1 on the master, 0 on a slave").register(meters);
        Gauge.builder("dtx.replication.epoch", state, ReplicaState::epoch)
                .description("The current epoch; it goes up with each election").register(meters);
        Gauge.builder("dtx.replication.applied.index", state, ReplicaState::appliedIndex)
                .description("The last log index applied on this replica").register(meters);
        Gauge.builder("dtx.replication.lag.entries", state, s -> orNaN(s.freshness().lagEntries()))
                .description("Entries this slave is behind its master; NaN when it cannot know (master not heard)")
                .register(meters);
        Gauge.builder("dtx.replication.lag", state, s -> orNaN(s.freshness().lagMs()) / 1000.0).baseUnit("seconds")
                .description("How old the oldest write this slave misses is; NaN when it cannot know").register(meters);
        Gauge.builder("dtx.replication.possibly.stale", state, s -> s.freshness().possiblyStale() ? 1 : 0)
                .description("1 when this replica may serve stale data (lag above 0 or unknown)").register(meters);
        applied(meters, "replicate", state.appliedViaReplicate());
        applied(meters, "kafka", state.appliedViaKafka());
        applied(meters, "catch-up", state.appliedViaCatchUp());
        FunctionCounter.builder("dtx.replication.entries.fenced", state.fencedEntries(), AtomicLong::get)
                .description("Entries of a deposed master this replica refused").register(meters);
    }

    private static void applied(MeterRegistry meters, String path, AtomicLong count) {
        FunctionCounter.builder("dtx.replication.entries.applied", count, AtomicLong::get).tag("path", path)
                .description("Log entries this slave applied, by the path they came").register(meters);
    }

    private static double orNaN(Long value) {
        return value == null ? Double.NaN : value;
    }
}
