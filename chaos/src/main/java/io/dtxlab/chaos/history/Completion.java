package io.dtxlab.chaos.history;

/**
 * How an operation ended for its client: {@link Ok} (it happened), {@link Fail} (it definitely did not) or
 * {@link Info} (unknown: it may take effect at any time after its invoke, or never). Jepsen's three completion types.
 */
public sealed interface Completion extends ClientEvent permits Ok, Fail, Info {

    /** Why it failed or is unknown, e.g. {@code timeout} or {@code 503 writes-refused}; null for {@link Ok}. */
    String error();
}
