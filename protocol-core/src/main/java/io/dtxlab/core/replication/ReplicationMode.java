package io.dtxlab.core.replication;

/** How the master replicates a write before it answers the client (docs/background.md, "Master-slave replication"). */
public enum ReplicationMode {
    /** Write N-of-N: every in-sync slave acknowledges a durable apply over REST before the answer (2n messages). */
    SYNC,
    /** Wait for k slave acks up to a timeout; after the timeout degrade to async until the slaves catch up. */
    SEMI_SYNC,
    /** Write 1-of-N: answer after the local write; the entry goes to the slaves through Kafka (n messages). */
    ASYNC
}
