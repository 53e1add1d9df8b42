package io.dtxlab.coordinator.consensus;

import io.dtxlab.core.paxos.PaxosStatus;
import io.dtxlab.platform.health.Readiness;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code consensus} in {@code /actuator/health} and in its {@code readiness} group: UP while this coordinator works
 * in a quorum and knows its leader (it leads with a valid lease, or it heard its leader within the election
 * timeout), {@link Readiness#NOT_READY} otherwise (alone, cut off from the majority, or during an election). A coordinator that is
 * not ready still answers: it forwards or refuses transactions, and a client should prefer one that is.
 * <p>
 * NOT_READY makes the readiness group answer 503 but leaves {@code /actuator/health} itself UP: a node alone is alive, and the launcher and the compose healthchecks, which wait on
 * {@code /actuator/health}, must not wait for a quorum. Details (role, leader, ballot, epoch, log position) only for
 * the admin token.
 */
@Component("consensus")
class ConsensusHealth implements HealthIndicator {

    private final PaxosDriver paxos;

    ConsensusHealth(PaxosDriver paxos) {
        this.paxos = paxos;
    }

    @Override
    public Health health() {
        if (!paxos.isRunning()) {
            return Health.status(Readiness.NOT_READY).withDetail("reason", "consensus not started").build();
        }
        boolean inQuorum = paxos.inQuorum();
        PaxosStatus s = paxos.status();
        Health.Builder health = inQuorum && s.leader() != null ? Health.up() : Health.status(Readiness.NOT_READY);
        health.withDetail("role", s.role().name()).withDetail("inQuorum", inQuorum)
                .withDetail("ballot", s.ballot().toString()).withDetail("epoch", s.epoch())
                .withDetail("members", paxos.config().members())
                .withDetail("firstUnchosen", s.firstUnchosen()).withDetail("lastChosen", s.lastChosen());
        if (s.leader() != null) {
            health.withDetail("leader", s.leader());
        }
        if (!inQuorum) {
            health.withDetail("reason", s.leader() == null ? "no leader known (an election is under way, or this "
                    + "node cannot reach a majority)" : "leader " + s.leader() + " not heard within the election "
                    + "timeout: this node is cut off from the majority, or an election is under way");
        }
        return health.build();
    }
}
