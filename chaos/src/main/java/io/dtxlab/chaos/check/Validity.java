package io.dtxlab.chaos.check;

/** A verdict's answer, as Jepsen's {@code :valid?}: true, false or {@code :unknown}. */
public enum Validity {
    /** Every rule holds. */
    VALID,
    /** At least one rule is broken: the verdict's violations say which and by what. */
    INVALID,
    /** Nothing broken was found, but the check could not finish (a search budget ran out, evidence is missing). */
    UNKNOWN
}
