package io.dtxlab.contract;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import tools.jackson.databind.JsonNode;

/**
 * One branch of a global transaction: which participant, and what it is asked to do.
 *
 * @param participant the participant's node id (order, inventory, payment)
 * @param payload its part of the work, passed to it as is
 * @param semanticLock a saga only: this step takes a semantic lock (Richardson, "Microservices Patterns", ch. 4). It
 *        holds its effect as a pending reservation (TRY) that other transactions see, confirmed once the saga
 *        completes or cancelled when it goes back; another saga's locking step that needs what is held only by
 *        pending effects is answered busy and tried again. Absent or false: the step applies at once
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BranchSpec(@NotBlank String participant, JsonNode payload, Boolean semanticLock) {

    /** A branch without a semantic lock. */
    public BranchSpec(String participant, JsonNode payload) {
        this(participant, payload, null);
    }

    /** Whether this saga step takes a semantic lock. */
    @JsonIgnore
    public boolean takesSemanticLock() {
        return Boolean.TRUE.equals(semanticLock);
    }
}
