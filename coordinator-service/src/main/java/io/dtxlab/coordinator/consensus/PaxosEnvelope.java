package io.dtxlab.coordinator.consensus;

import io.dtxlab.core.paxos.PaxosMessage;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A Paxos message on the wire: its type (the record's simple name) and its fields.
 *
 * @param type PreVote, PreVoteReply, Prepare, Promise, Accept, Accepted, Rejected, Chosen or InstallSnapshot
 */
record PaxosEnvelope(String type, JsonNode message) {

    private static final Map<String, Class<? extends PaxosMessage>> TYPES = Map.of(
            "PreVote", PaxosMessage.PreVote.class,
            "PreVoteReply", PaxosMessage.PreVoteReply.class,
            "Prepare", PaxosMessage.Prepare.class,
            "Promise", PaxosMessage.Promise.class,
            "Accept", PaxosMessage.Accept.class,
            "Accepted", PaxosMessage.Accepted.class,
            "Rejected", PaxosMessage.Rejected.class,
            "Chosen", PaxosMessage.Chosen.class,
            "InstallSnapshot", PaxosMessage.InstallSnapshot.class);

    static PaxosEnvelope of(PaxosMessage message, ObjectMapper json) {
        return new PaxosEnvelope(message.getClass().getSimpleName(), json.valueToTree(message));
    }

    PaxosMessage open(ObjectMapper json) {
        Class<? extends PaxosMessage> kind = TYPES.get(type);
        if (kind == null) {
            throw new IllegalArgumentException("unknown Paxos message type '" + type + "'; known: " + TYPES.keySet());
        }
        return json.treeToValue(message, kind);
    }
}
