package io.dtxlab.platform.fault;

/** What the caller of a fault point must do after it passed: go on, or lose its message. */
public enum Injected {
    NONE,
    DROP
}
