package io.dtxlab.core.replication;

import java.util.List;

/**
 * How the master replicates one write, decided before it writes locally.
 *
 * @param refusal why the write is refused before anything is written, or null
 * @param mode the mode this write actually uses (a degraded SEMI_SYNC write uses ASYNC)
 * @param targets the slaves the entry is sent to over REST, in parallel
 * @param acksNeeded how many of them must acknowledge (SYNC: all targets; SEMI_SYNC: k)
 * @param publishToKafka true when the entry goes to the slaves through Kafka instead
 * @param degradedReason why this write is already degraded before it is sent (a slave out of sync, semi-sync
 *     degraded), or null
 */
public record WritePlan(String refusal, ReplicationMode mode, List<String> targets, int acksNeeded,
        boolean publishToKafka, String degradedReason) {

    public static WritePlan refused(ReplicationMode mode, String reason) {
        return new WritePlan(reason, mode, List.of(), 0, false, null);
    }

    public boolean isRefused() {
        return refusal != null;
    }

    public boolean isDegraded() {
        return degradedReason != null;
    }
}
