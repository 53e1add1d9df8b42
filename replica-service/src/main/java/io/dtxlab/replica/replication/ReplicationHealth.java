package io.dtxlab.replica.replication;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code replication} in {@code /actuator/health} and in its {@code readiness} group: this replica's role and how
 * far behind it is. Always UP: a replica serves reads whatever its lag (each answer says whether it may be stale),
 * and a slave forwards or refuses writes by the failover policy; the details say what it can know. Details only for
 * the admin token: role, epoch, master, mode, applied index, and on a slave the lag in entries and milliseconds
 * (absent when unknown: its master not heard within the master timeout) and why it may be stale.
 */
@Component("replication")
class ReplicationHealth implements HealthIndicator {

    private final ReplicaState state;

    ReplicationHealth(ReplicaState state) {
        this.state = state;
    }

    @Override
    public Health health() {
        ReplicaState.Freshness freshness = state.freshness();
        Health.Builder health = Health.up().withDetail("role", state.role().name())
                .withDetail("epoch", state.epoch()).withDetail("master", state.master())
                .withDetail("mode", state.settings().mode().name())
                .withDetail("appliedIndex", state.appliedIndex())
                .withDetail("possiblyStale", freshness.possiblyStale());
        if (freshness.lagEntries() != null) {
            health.withDetail("lagEntries", freshness.lagEntries());
        }
        if (freshness.lagMs() != null) {
            health.withDetail("lagMs", freshness.lagMs());
        }
        if (freshness.staleReason() != null) {
            health.withDetail("staleReason", freshness.staleReason());
        }
        return health.build();
    }
}
