package io.dtxlab.core.replication;

/**
 * What a SYNC master does when a slave cannot acknowledge: the two options docs/background.md describes
 * ("Master-slave replication").
 */
public enum SyncFailurePolicy {
    /** The write fails and is undone; while a slave is out of sync the cluster refuses writes but serves reads. */
    REJECT,
    /** The failed slave is marked out of sync and the write goes on with the rest; the slave catches up later. */
    DEGRADE
}
