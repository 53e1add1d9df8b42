package io.dtxlab.coordinator.consensus;

import io.dtxlab.coordinator.leadership.Leadership;
import io.dtxlab.core.paxos.PaxosStatus;
import org.springframework.stereotype.Component;

/**
 * Leadership as Paxos decides it: the leader is the coordinator whose ballot won phase 1 and whose lease is valid.
 * It acts as the leader only once it has applied every slot earlier leaders may have used, so its log is complete
 * before it answers "what was decided?" or finishes their transactions. The epoch is its ballot as one number.
 */
@Component
class PaxosLeadership implements Leadership {

    private final PaxosDriver paxos;

    PaxosLeadership(PaxosDriver paxos) {
        this.paxos = paxos;
    }

    @Override
    public String leader() {
        PaxosStatus status = paxos.status();
        return status.leader();
    }

    @Override
    public boolean isLeader() {
        return paxos.leadsAndCaughtUp();
    }

    @Override
    public long epoch() {
        return paxos.status().epoch();
    }

    @Override
    public void onLeadership(Runnable action) {
        paxos.onLeadership(action);
    }
}
