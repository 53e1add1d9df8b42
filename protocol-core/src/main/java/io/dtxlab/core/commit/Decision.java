package io.dtxlab.core.commit;

/** The coordinator's verdict on a global transaction; every branch ends the same way. */
public enum Decision {
    COMMIT,
    ABORT
}
