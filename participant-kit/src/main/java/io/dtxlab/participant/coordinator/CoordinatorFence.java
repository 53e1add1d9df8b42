package io.dtxlab.participant.coordinator;

import io.dtxlab.core.commit.participant.EpochFence;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The durable epoch fence. {@link #admit} must run inside the local transaction of the step it guards: a raised
 * epoch is written in that transaction, so it is on disk before the answer that relied on it.
 */
@Component
public class CoordinatorFence {

    private final JdbcTemplate jdbc;
    private EpochFence fence;

    CoordinatorFence(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether a message carrying {@code epoch} from {@code coordinator} may act. */
    public synchronized boolean admit(long epoch, String coordinator) {
        EpochFence f = fence();
        long before = f.highest();
        if (!f.admit(epoch)) {
            return false;
        }
        if (f.highest() > before) {
            jdbc.update("update coordinator_fence set epoch = greatest(epoch, ?), coordinator = ?, "
                    + "raised_at = current_timestamp where id = 1", epoch, coordinator);
        }
        return true;
    }

    public synchronized long highest() {
        return fence().highest();
    }

    private EpochFence fence() {
        if (fence == null) {
            Long stored = jdbc.queryForObject("select epoch from coordinator_fence where id = 1", Long.class);
            fence = new EpochFence(stored == null ? 0 : stored);
        }
        return fence;
    }
}
