package io.dtxlab.coordinator.leadership;

import io.dtxlab.coordinator.CoordinatorProperties;
import io.dtxlab.platform.node.NodeIdentity;
import org.springframework.stereotype.Component;

/**
 * One configured coordinator leads ({@code dtx.coordinator.leader}). Its epoch is its incarnation, the count of its
 * starts kept in its H2 file, so each restart fences off whatever the previous run still had in flight.
 */
@Component
class StaticLeadership implements Leadership {

    private final String leader;
    private final NodeIdentity node;

    StaticLeadership(CoordinatorProperties properties, NodeIdentity node) {
        this.leader = properties.leader();
        this.node = node;
    }

    @Override
    public String leader() {
        return leader;
    }

    @Override
    public boolean isLeader() {
        return leader.equals(node.id());
    }

    @Override
    public long epoch() {
        return node.incarnation();
    }
}
