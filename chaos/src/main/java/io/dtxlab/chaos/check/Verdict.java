package io.dtxlab.chaos.check;

import java.util.List;
import java.util.Objects;

/**
 * A checker's judgement of one run.
 *
 * @param checker the checker's name
 * @param validity VALID, INVALID (some violation) or UNKNOWN (none found, but the check could not finish)
 * @param violations the broken rules, with the operations that break them; empty unless INVALID
 * @param notes what a report should show without failing the run: counts, excused anomalies, why a check stopped
 */
public record Verdict(String checker, Validity validity, List<Finding> violations, List<Finding> notes) {

    public Verdict {
        Objects.requireNonNull(checker, "checker");
        Objects.requireNonNull(validity, "validity");
        violations = List.copyOf(violations);
        notes = List.copyOf(notes);
        if ((validity == Validity.INVALID) == violations.isEmpty()) {
            throw new IllegalArgumentException("a verdict is INVALID exactly when it has violations");
        }
    }

    /**
     * The verdict the findings make: INVALID with any violation, else UNKNOWN when the check did not finish, else
     * VALID.
     */
    public static Verdict of(String checker, List<Finding> violations, List<Finding> notes, boolean finished) {
        Validity validity = !violations.isEmpty() ? Validity.INVALID : finished ? Validity.VALID : Validity.UNKNOWN;
        return new Verdict(checker, validity, violations, notes);
    }

    /** Whether every rule holds (UNKNOWN is not valid). */
    public boolean valid() {
        return validity == Validity.VALID;
    }

    /** The violations of {@code rule}. */
    public List<Finding> violations(String rule) {
        return violations.stream().filter(f -> f.rule().equals(rule)).toList();
    }

    /** The notes of {@code rule}. */
    public List<Finding> notes(String rule) {
        return notes.stream().filter(f -> f.rule().equals(rule)).toList();
    }

    /** A plain-text report: the checker, its answer, then each violation and note. */
    public String describe() {
        StringBuilder s = new StringBuilder(checker).append(": ").append(validity);
        violations.forEach(f -> s.append("\n  VIOLATION ").append(f.describe()));
        notes.forEach(f -> s.append("\n  note ").append(f.describe()));
        return s.toString();
    }
}
