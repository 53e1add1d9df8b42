package io.dtxlab.core.commit;

/** A participant's answer to prepare (2PC) or can-commit (3PC). */
public enum Vote {
    YES,
    NO
}
