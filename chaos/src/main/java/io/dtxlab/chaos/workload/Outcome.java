package io.dtxlab.chaos.workload;

/**
 * How one client operation ended, before {@link Clients#perform} writes it into the history: Jepsen's three
 * completion types.
 */
sealed interface Outcome {

    /**
     * It happened.
     *
     * @param value what the client was told (a receipt, the value read, the service's answer), any value
     *        {@link io.dtxlab.chaos.history.JsonLines#value} takes; null for none
     */
    record Ok(Object value) implements Outcome {
    }

    /**
     * It certainly did not happen: the service refused before acting, or the request never left the client.
     *
     * @param error why, for the report
     */
    record Fail(String error) implements Outcome {
    }

    /**
     * Nobody knows whether it happened.
     *
     * @param value what the client was told, if anything (e.g. a 202's body); null for nothing
     * @param error why the outcome is unknown
     */
    record Info(Object value, String error) implements Outcome {
    }
}
