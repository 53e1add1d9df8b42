package io.dtxlab.core.replication;

/** What the slaves do when the master is gone: the two options docs/background.md describes. */
public enum FailoverPolicy {
    /** Stay read-only until the master returns: nothing acknowledged is lost, writes wait. */
    WAIT,
    /** Elect the most up-to-date slave (Bully: highest replicated index, then highest node id); the epoch goes up. */
    ELECT
}
