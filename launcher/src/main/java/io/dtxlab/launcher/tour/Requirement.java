package io.dtxlab.launcher.tour;

import java.util.Optional;

/**
 * What a story needs of the cluster beyond a healthy one, such as four replicas or failover ELECT, set when
 * {@code ./dtx up} started it. A cluster without it makes the story SKIP, saying what it needs.
 *
 * @param probe the call that tells (null: the roster alone tells)
 * @param check what its answer must show
 * @param minReplicas the fewest replicas it needs (0: any)
 * @param otherwise what to start the cluster with to have it, printed when the story is skipped
 */
record Requirement(Action.Call probe, Check check, int minReplicas, String otherwise) {

    static final Requirement NONE = new Requirement(null, null, 0, "");

    static Requirement replicas(int atLeast, String otherwise) {
        return new Requirement(null, null, atLeast, otherwise);
    }

    static Requirement answer(Action.Call probe, Check check, String otherwise) {
        return new Requirement(probe, check, 0, otherwise);
    }

    /** Why the story cannot run here, or empty when it can; {@code answer} is the probe's answer (null without one). */
    Optional<String> unmet(Roster roster, Answer answer, Bindings bindings) {
        if (roster.replicas().size() < minReplicas) {
            return Optional.of("this cluster has " + roster.replicas().size() + " replicas; " + otherwise);
        }
        if (probe != null) {
            Optional<Check.Mismatch> mismatch = check.test(answer, bindings);
            if (mismatch.isPresent()) {
                return Optional.of(mismatch.get() + "; " + otherwise);
            }
        }
        return Optional.empty();
    }
}
