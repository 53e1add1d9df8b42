package io.dtxlab.contract;

import jakarta.validation.constraints.NotBlank;
import tools.jackson.databind.JsonNode;

/**
 * One branch of a global transaction: which participant, and what it is asked to do.
 *
 * @param participant the participant's node id (order, inventory, payment)
 * @param payload its part of the work, passed to it as is
 */
public record BranchSpec(@NotBlank String participant, JsonNode payload) {
}
