package io.dtxlab.participant.audit;

import io.dtxlab.participant.resource.Invariant;
import java.util.List;
import java.util.Map;

/**
 * A participant's own audit.
 *
 * @param holds whether every invariant holds
 * @param branches how many branches are in each state
 */
public record ParticipantAudit(String participant, boolean holds, List<Invariant> invariants,
        Map<String, Long> branches) {
}
