package io.dtxlab.coordinator.transaction;

import tools.jackson.databind.JsonNode;

/** What the coordinator sends a participant with prepare, commit and abort (the participant kit's contract). */
record BranchMessage(String coordinator, long epoch, String protocol, JsonNode payload, String reason) {
}
