package io.dtxlab.core.paxos;

/**
 * What one log slot holds: an opaque payload chosen for the application (the coordinator puts its BEGIN and
 * DECISION records here), or the no-op a new leader uses to fill a slot nobody accepted a value for.
 *
 * @param payload the application's bytes as text; {@code null} only for {@link #NOOP}
 */
public record Value(String payload) {

    /** Fills a gap in the log; the application skips it. */
    public static final Value NOOP = new Value(null);

    public static Value of(String payload) {
        if (payload == null) {
            throw new IllegalArgumentException("a proposed value needs a payload; use Value.NOOP for a no-op");
        }
        return new Value(payload);
    }

    public boolean isNoop() {
        return payload == null;
    }

    @Override
    public String toString() {
        return isNoop() ? "no-op" : payload;
    }
}
