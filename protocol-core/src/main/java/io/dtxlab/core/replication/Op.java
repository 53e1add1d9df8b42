package io.dtxlab.core.replication;

/** What a log entry does to its key. */
public enum Op {
    PUT,
    DELETE
}
