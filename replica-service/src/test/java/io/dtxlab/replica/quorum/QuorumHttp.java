package io.dtxlab.replica.quorum;

import io.dtxlab.testsupport.LabNode;
import io.dtxlab.testsupport.ServiceContract;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;

/** A client's view of the quorum endpoints of one node, over real HTTP. */
final class QuorumHttp {

    private QuorumHttp() {
    }

    /** A status and the JSON body that came with it (an answer or a problem detail). */
    record Answer(int status, JsonNode body) {

        String value() {
            return body.path("value").asString();
        }

        JsonNode context() {
            return body.path("context");
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    static Answer put(LabNode node, String key, String value, JsonNode context, Integer w) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        if (context != null && !context.isMissingNode()) {
            body.put("context", context);
        }
        ResponseEntity<String> response = node.http().put()
                .uri(w == null ? "/quorum/kv/{key}" : "/quorum/kv/{key}?w={w}", w == null ? new Object[] {key}
                        : new Object[] {key, w})
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
        return answer(response);
    }

    static Answer get(LabNode node, String key, Integer r) {
        ResponseEntity<String> response = node.http().get()
                .uri(r == null ? "/quorum/kv/{key}" : "/quorum/kv/{key}?r={r}", r == null ? new Object[] {key}
                        : new Object[] {key, r})
                .retrieve().toEntity(String.class);
        return answer(response);
    }

    /** What one replica alone holds: its versions and its hints. */
    static JsonNode local(LabNode node, String key) {
        return ServiceContract.json(node, "/quorum/local/" + key);
    }

    /** The values of the versions one replica alone holds. */
    static java.util.List<String> localValues(LabNode node, String key) {
        java.util.List<String> values = new java.util.ArrayList<>();
        local(node, key).path("versions").forEach(v -> values.add(v.path("value").asString()));
        return values;
    }

    static JsonNode stats(LabNode node) {
        return ServiceContract.json(node, "/quorum/stats");
    }

    static JsonNode ring(LabNode node, String key) {
        return ServiceContract.json(node, "/quorum/ring?key=" + key);
    }

    static java.util.List<String> preferenceList(LabNode node, String key) {
        java.util.List<String> owners = new java.util.ArrayList<>();
        ring(node, key).path("key").path("preferenceList").forEach(n -> owners.add(n.asString()));
        return owners;
    }

    private static Answer answer(ResponseEntity<String> response) {
        String body = response.getBody();
        return new Answer(response.getStatusCode().value(),
                body == null || body.isBlank() ? ServiceContract.parse("{}") : ServiceContract.parse(body));
    }
}
