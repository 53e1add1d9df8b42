package io.dtxlab.participant.resource;

/** One checked invariant of a participant's data, e.g. "WIDGET: reserved equals the units of in-doubt branches". */
public record Invariant(String name, boolean holds, String detail) {

    public static Invariant check(String name, boolean holds, String detail) {
        return new Invariant(name, holds, detail);
    }
}
